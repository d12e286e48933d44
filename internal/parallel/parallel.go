// Package parallel runs the conversion of a stream on several goroutines while
// keeping its order: how the ingestion parses and checks the records of a large
// file on every core while one goroutine reads the file and another feeds COPY.
package parallel

import (
	"fmt"
	"runtime"
	"sync"
)

// batchSize is how many items a worker converts at a time: large enough that
// handing batches between goroutines costs little beside the conversions.
const batchSize = 256

// batch is a run of items read in order, converted by one worker.
type batch[R, T any] struct {
	in   []R
	out  []T
	err  error // what ended the stream after these items (read's error, or a conversion's panic)
	done chan struct{}
}

// MapInOrder yields convert(r) for each r that read returns, in read's order, with
// the conversions made on as many goroutines as Go runs at once. read is called
// from one goroutine only, until it returns an error (io.EOF at the end), which
// next returns after the last item read before it; a panic in convert becomes an
// error the same way. At most a few batches per worker are held at once: the
// stream is read no faster than it is consumed.
//
// stop must be called once the caller has done with next (before or at the end):
// it lets the goroutines go. A read in progress is not interrupted; it finishes
// and nothing more is read.
func MapInOrder[R, T any](read func() (R, error), convert func(R) T) (next func() (T, error), stop func()) {
	workers := max(runtime.GOMAXPROCS(0), 1)
	work := make(chan *batch[R, T], workers)
	ordered := make(chan *batch[R, T], 2*workers)
	quit := make(chan struct{})

	go func() { // the reader: batches in order, each to a worker and to the consumer
		defer close(work)
		defer close(ordered)
		for {
			b := &batch[R, T]{in: make([]R, 0, batchSize), done: make(chan struct{})}
			for len(b.in) < batchSize && b.err == nil {
				r, err := read()
				if err != nil {
					b.err = err
					break
				}
				b.in = append(b.in, r)
			}
			last := b.err != nil // read here: a worker may set b.err once it has b
			select {
			case ordered <- b:
			case <-quit:
				return
			}
			select {
			case work <- b:
			case <-quit:
				return
			}
			if last {
				return
			}
		}
	}()
	for range workers {
		go func() {
			for b := range work {
				convertBatch(b, convert)
			}
		}()
	}

	var current *batch[R, T]
	var i int
	var end error
	next = func() (T, error) {
		var zero T
		for current == nil || i == len(current.out) {
			if current != nil && current.err != nil {
				end = current.err
			}
			if end != nil {
				return zero, end
			}
			b, ok := <-ordered
			if !ok { // stopped
				return zero, fmt.Errorf("parallel: stream stopped")
			}
			<-b.done
			current, i = b, 0
		}
		i++
		return current.out[i-1], nil
	}
	var once sync.Once
	stop = func() { once.Do(func() { close(quit) }) }
	return next, stop
}

// convertBatch converts the items of b, turning a panic into the error that ends
// the stream after the items converted before it.
func convertBatch[R, T any](b *batch[R, T], convert func(R) T) {
	defer close(b.done)
	defer func() {
		if p := recover(); p != nil {
			b.err = fmt.Errorf("converting item %d of a batch: panic: %v", len(b.out), p)
		}
	}()
	b.out = make([]T, 0, len(b.in))
	for _, r := range b.in {
		b.out = append(b.out, convert(r))
	}
}
