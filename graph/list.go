package graph

import (
	"context"
	"runtime"
	"sync"

	"github.com/99designs/gqlgen/graphql"
)

// elementsPerWorker is how many elements of a list make it worth a goroutine of its
// own: below twice that, a list is marshalled on the caller's goroutine alone.
const elementsPerWorker = 32

// marshalInOrder marshals the elements of a list of objects in order on the caller's
// goroutine, where gqlgen's generated code would start a goroutine per element (the
// generator, internal/gqlgen, puts it in place of graphql.MarshalSliceConcurrently;
// see there why). A long list is cut into as many runs of consecutive elements as
// there are processors, each marshalled in order by a goroutine of its own, so that
// one large page still uses every core of an idle server. It keeps gqlgen's
// contract: each element has a field context with its index, and an element whose
// marshalling panics is null, with the error reported.
//
// Every read of the database below a list must go through the level loading (load
// in level.go), which reads a whole level at the first object's ask: a field that
// read per object, or waited for a loader's timer, would be paid once per element
// in turn.
func marshalInOrder(ctx context.Context, length int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	run := func(from, to int) {
		for i := from; i < to; i++ {
			elementCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
			ret[i] = marshalRecovering(elementCtx, func() graphql.Marshaler { return marshalElement(elementCtx, i) })
		}
	}
	workers := min(runtime.GOMAXPROCS(0), length/elementsPerWorker)
	if workers <= 1 {
		run(0, length)
		return ret
	}
	var wg sync.WaitGroup
	per := (length + workers - 1) / workers
	for from := per; from < length; from += per {
		wg.Go(func() { run(from, min(from+per, length)) })
	}
	run(0, per)
	wg.Wait()
	return ret
}

// marshalRecovering runs marshal, turning a panic into a null and an error.
func marshalRecovering(ctx context.Context, marshal func() graphql.Marshaler) (m graphql.Marshaler) {
	defer func() {
		if r := recover(); r != nil {
			graphql.AddError(ctx, graphql.Recover(ctx, r))
			m = graphql.Null
		}
	}()
	return marshal()
}

// deferredGroupFor prepares the group of an object's @defer'd fields (the
// generator, internal/gqlgen, puts it in place of graphql.NewDeferredGroup): a
// group that defers nothing is left empty — gqlgen reads it only when a field is
// deferred — rather than built with the object's whole path, a field set and a map
// for every object of every operation.
func deferredGroupFor(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{}
}
