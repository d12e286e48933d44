package graph

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

func TestObjectFields_WritesAsGqlgenDoes(t *testing.T) {
	field := func(alias string) graphql.CollectedField {
		return graphql.CollectedField{Field: &ast.Field{Alias: alias, Name: alias}}
	}
	cases := []struct {
		name   string
		fields []graphql.CollectedField
		values []graphql.Marshaler
	}{
		{"no fields", nil, nil},
		{"in the operation's order", []graphql.CollectedField{field("nameTh"), field("code"), field("moo")},
			[]graphql.Marshaler{graphql.MarshalString("บ้านห้วยหก \"๑\""), graphql.MarshalString("57010101"), graphql.MarshalInt(1)}},
		{"an alias twice, written once", []graphql.CollectedField{field("code"), field("plan"), field("code")},
			[]graphql.Marshaler{graphql.MarshalString("a"), graphql.Null, graphql.MarshalString("b")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got, want bytes.Buffer
			objectFields{c.fields, c.values}.MarshalGQL(&got)
			fs := graphql.NewFieldSet(c.fields)
			copy(fs.Values, c.values)
			fs.MarshalGQL(&want)
			if got.String() != want.String() {
				t.Errorf("wrote %s, gqlgen writes %s", got.String(), want.String())
			}
		})
	}
}
