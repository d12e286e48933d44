package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalInOrder marshals the elements of a list of objects one after the other on
// the caller's goroutine, where gqlgen's generated code would start a goroutine per
// element (the generator, internal/gqlgen, puts it in place of
// graphql.MarshalSliceConcurrently; see there why). It keeps that function's
// contract: each element has a field context with its index, and an element whose
// marshalling panics is null, with the error reported.
//
// Every read of the database below a list must go through the level loading (load
// in level.go), which reads a whole level at the first object's ask: a field that
// read per object, or waited for a loader's timer, would be paid once per element
// in turn.
func marshalInOrder(ctx context.Context, length int, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		elementCtx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		ret[i] = marshalRecovering(elementCtx, func() graphql.Marshaler { return marshalElement(elementCtx, i) })
	}
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
