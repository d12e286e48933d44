package graph

import (
	"context"
	"io"
	"slices"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
)

// objectFields writes an object's fields as JSON, in the operation's order, as
// graphql.FieldSet does (the generator, internal/gqlgen, returns it in place of
// the field set once its fields are resolved) — without the FieldSet's iterator,
// its copy of every field and its map of the aliases written, three allocations
// and more for every object answered. An alias is a GraphQL name, which needs no
// escaping; a field whose alias came earlier is written once, as gqlgen does.
type objectFields struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

func (o objectFields) MarshalGQL(w io.Writer) {
	_, _ = io.WriteString(w, "{")
	for i := range o.fields {
		alias := o.fields[i].Alias
		if slices.ContainsFunc(o.fields[:i], func(f graphql.CollectedField) bool { return f.Alias == alias }) {
			continue
		}
		if i > 0 {
			_, _ = io.WriteString(w, ",")
		}
		_, _ = io.WriteString(w, `"`)
		_, _ = io.WriteString(w, alias)
		_, _ = io.WriteString(w, `":`)
		o.values[i].MarshalGQL(w)
	}
	_, _ = io.WriteString(w, "}")
}

// resolveInOrder resolves field i of an object (field) on the caller's goroutine,
// where gqlgen would schedule it to run concurrently with the object's other
// resolver fields when the object's field set is dispatched (the generator,
// internal/gqlgen, puts it in place of FieldSet.ResolveConcurrently). The reads
// below an object go through the level loading (level.go), which fetches a whole
// level at its first ask and has the plan trees read ahead, so the goroutines bought
// little overlap of reads; each cost a goroutine whose stack then grew through
// gqlgen's deep generated frames (runtime.copystack: 7.6 % of the server's CPU on
// the village page). It keeps gqlgen's contract: a panic is reported and resolves
// to null, the result that makes the object invalid (null for a non-null field,
// RequiredNull for a nullable one) is counted, and a @defer'd field is left to
// gqlgen.
func resolveInOrder(ctx context.Context, oc *graphql.OperationContext, out *graphql.FieldSet, deferred *graphql.DeferredGroup,
	field graphql.CollectedField, i int, recoverFromPanic, nonNull bool, resolve func(context.Context) graphql.Marshaler) {
	if field.IsDeferred() {
		out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	var res graphql.Marshaler
	if recoverFromPanic {
		res = marshalRecovering(ctx, func() graphql.Marshaler { return resolve(ctx) })
	} else {
		res = resolve(ctx)
	}
	out.Values[i] = res
	invalid := graphql.RequiredNull
	if nonNull {
		invalid = graphql.Null
	}
	if res == invalid {
		atomic.AddUint32(&out.Invalids, 1)
	}
}
