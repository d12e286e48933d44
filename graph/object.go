package graph

import (
	"io"
	"slices"

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
