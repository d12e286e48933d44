package parallel

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// counter reads 0, 1, … n-1, then err.
func counter(n int, err error) func() (int, error) {
	i := 0
	return func() (int, error) {
		if i == n {
			return 0, err
		}
		i++
		return i - 1, nil
	}
}

// Items come out in the order read, each converted, however long each conversion
// takes, and the read's error comes after the last of them.
func TestMapInOrder_KeepsTheOrder(t *testing.T) {
	const n = 10*batchSize + 7
	next, stop := MapInOrder(counter(n, io.EOF), func(i int) int {
		if i < batchSize {
			time.Sleep(20 * time.Microsecond) // the first batch finishes after the next ones
		}
		return i * 2
	})
	defer stop()
	for want := 0; want < n; want++ {
		got, err := next()
		if err != nil || got != want*2 {
			t.Fatalf("item %d: got %d, %v; want %d", want, got, err, want*2)
		}
	}
	for range 2 {
		if _, err := next(); !errors.Is(err, io.EOF) {
			t.Fatalf("after the last item: %v, want io.EOF", err)
		}
	}
}

// A read error other than the end is returned after the items read before it.
func TestMapInOrder_ReadError(t *testing.T) {
	bad := errors.New("broken file")
	next, stop := MapInOrder(counter(3, bad), func(i int) int { return i })
	defer stop()
	for want := range 3 {
		if got, err := next(); err != nil || got != want {
			t.Fatalf("item %d: %d, %v", want, got, err)
		}
	}
	if _, err := next(); !errors.Is(err, bad) {
		t.Fatalf("got %v, want the read's error", err)
	}
}

// A panic converting an item ends the stream with an error, after the items
// converted before it, rather than taking the process down.
func TestMapInOrder_PanicBecomesError(t *testing.T) {
	next, stop := MapInOrder(counter(2*batchSize, io.EOF), func(i int) int {
		if i == batchSize+5 {
			panic("bad item")
		}
		return i
	})
	defer stop()
	for want := range batchSize + 5 {
		if got, err := next(); err != nil || got != want {
			t.Fatalf("item %d: %d, %v", want, got, err)
		}
	}
	if _, err := next(); err == nil || !strings.Contains(err.Error(), "bad item") {
		t.Fatalf("got %v, want the panic as an error", err)
	}
}

// Stopping part-way lets every goroutine go, and reads no more.
func TestMapInOrder_StopLetsGo(t *testing.T) {
	before := runtime.NumGoroutine()
	var reads atomic.Int64
	next, stop := MapInOrder(func() (int, error) { return int(reads.Add(1)), nil }, func(i int) int { return i }) // endless
	if _, err := next(); err != nil {
		t.Fatal(err)
	}
	stop()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left running after stop (%d before)", runtime.NumGoroutine()-before, before)
		}
		time.Sleep(time.Millisecond)
	}
	// at most the batches the channels hold were read ahead, not the endless stream
	if limit := int64(3*runtime.GOMAXPROCS(0)+3) * batchSize; reads.Load() > limit {
		t.Fatalf("read %d items ahead, more than %d", reads.Load(), limit)
	}
}
