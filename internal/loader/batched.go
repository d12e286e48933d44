package loader

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/vikstrous/dataloadgen"
)

// source reads rows by key for a caller of the given scope.
type source[K comparable, V any] func(context.Context, auth.Scope, []K) (map[K]V, error)

// request is what the loaders of one request share: the caller's scope and how long
// a loader asked without a level waits for more keys.
type request struct {
	scope auth.Scope
	wait  time.Duration
}

// batched is a dataloadgen loader together with its fetch function, so that a whole
// level can be fetched at once and put in the cache. It is built on first use.
type batched[K comparable, V any] struct {
	source  source[K, V]
	request *request
	built   sync.Once

	*dataloadgen.Loader[K, V]
	fetch func(context.Context, []K) (map[K]V, error)

	mu sync.Mutex
	// fetching holds, per key fetched as part of a level, a channel closed once
	// its row is cached: two fields of one level that read the same loader (a plan
	// item's lines and its budget total) then share one statement.
	fetching map[K]chan struct{}
}

// bind sets where the loader reads from and for whom; nothing is built yet.
func (b *batched[K, V]) bind(src source[K, V], r *request) {
	b.source, b.request = src, r
}

// ready builds the loader the first time it is used.
func (b *batched[K, V]) ready() *batched[K, V] {
	b.built.Do(func() {
		src, sc := b.source, b.request.scope
		b.fetch = func(ctx context.Context, keys []K) (map[K]V, error) { return src(ctx, sc, keys) }
		b.Loader = dataloadgen.NewMappedLoader(b.fetch, dataloadgen.WithWait(b.request.wait))
		b.fetching = map[K]chan struct{}{}
	})
	return b
}

// fetchRows reads the rows of keys, uncached.
func (b *batched[K, V]) fetchRows(ctx context.Context, keys []K) (map[K]V, error) {
	return b.ready().fetch(ctx, keys)
}

// load returns the value for key. Given the keys of the caller's whole level, it
// first fetches them all in one statement, now rather than after the loader's wait,
// and caches every answer (the zero value where there is no row), then calls the
// AfterEnqueue hook of ctx so that the rest of the level can read the cache. Without
// level keys it batches as a plain loader does.
func (b *batched[K, V]) load(ctx context.Context, key K, level []K) (V, error) {
	return b.loadWith(ctx, key, level, b.ready().fetch)
}

// loadWith is load with the level fetched by fetch instead of the loader's own
// fetch function (which still serves keys asked without a level).
func (b *batched[K, V]) loadWith(ctx context.Context, key K, level []K, fetch func(context.Context, []K) (map[K]V, error)) (V, error) {
	b.ready()
	if len(level) > 0 {
		if !slices.Contains(level, key) {
			level = append(level[:len(level):len(level)], key)
		}
		b.fetchLevel(ctx, level, fetch)
	}
	if f, ok := ctx.Value(enqueuedKey{}).(func()); ok {
		f()
	}
	if len(level) > 0 {
		return b.Load(ctx, key) // cached by now
	}
	return b.awaitBatch(ctx, key)
}

// awaitBatch loads key with the keys asked for about the same time, after the
// loader's wait; a request that ends meanwhile stops waiting.
func (b *batched[K, V]) awaitBatch(ctx context.Context, key K) (V, error) {
	thunk := b.LoadThunk(ctx, key)
	type result struct {
		v   V
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := thunk()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// fetchLevel fetches the level's keys and caches the answers. On an error nothing
// is cached and the keys are forgotten: each key's own load then fetches again and
// reports it.
func (b *batched[K, V]) fetchLevel(ctx context.Context, level []K, fetch func(context.Context, []K) (map[K]V, error)) {
	done := make(chan struct{})
	var keys []K
	var others []chan struct{}
	b.mu.Lock()
	for _, k := range level {
		switch c, ok := b.fetching[k]; {
		case !ok:
			b.fetching[k] = done
			keys = append(keys, k)
		case c != done:
			others = append(others, c)
		}
	}
	b.mu.Unlock()
	if len(keys) > 0 {
		if rows, err := fetch(ctx, keys); err == nil {
			for _, k := range keys {
				b.Prime(k, rows[k])
			}
		} else {
			// nothing cached: each key's own load reads again and reports the error
			b.mu.Lock()
			for _, k := range keys {
				delete(b.fetching, k)
			}
			b.mu.Unlock()
		}
		close(done)
	}
	for _, c := range others {
		select {
		case <-c:
		case <-ctx.Done():
			return
		}
	}
}

// settle caches rows read for the given keys by another loader's fetch (a level
// read with the levels below it), the zero value where there is no row; a key
// already fetched or being fetched keeps its own answer.
func (b *batched[K, V]) settle(keys []K, rows map[K]V) {
	b.ready()
	done := make(chan struct{})
	close(done)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		if _, ok := b.fetching[k]; ok {
			continue
		}
		b.fetching[k] = done
		b.Prime(k, rows[k])
	}
}

type enqueuedKey struct{}

// AfterEnqueue returns ctx with f to call once a level's rows are on their way to
// the cache (or in it), before the caller waits for its own: the caller can then let
// the rest of its level go ahead.
func AfterEnqueue(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, enqueuedKey{}, f)
}
