package graph

import (
	"bytes"
	"context"
	"fmt"
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

func TestResolveInOrder_CountsAndRecoversAsGqlgenDoes(t *testing.T) {
	field := graphql.CollectedField{Field: &ast.Field{Alias: "f", Name: "f"}}
	recovered := func(ctx context.Context, err any) error { return fmt.Errorf("recovered: %v", err) }
	oc := &graphql.OperationContext{RecoverFunc: recovered}
	cases := []struct {
		name        string
		nonNull     bool
		resolve     func(context.Context) graphql.Marshaler
		invalids    uint32
		wantErrors  int
		wantWritten string
	}{
		{"a value", true, func(context.Context) graphql.Marshaler { return graphql.MarshalString("x") }, 0, 0, `"x"`},
		{"null for a non-null field", true, func(context.Context) graphql.Marshaler { return graphql.Null }, 1, 0, "null"},
		{"null for a nullable field", false, func(context.Context) graphql.Marshaler { return graphql.Null }, 0, 0, "null"},
		{"a nullable field's invalid result", false, func(context.Context) graphql.Marshaler { return graphql.RequiredNull }, 1, 0, ""},
		{"a panic", true, func(context.Context) graphql.Marshaler { panic("boom") }, 1, 1, "null"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, recovered)
			ctx = graphql.WithOperationContext(ctx, oc)
			out := graphql.NewFieldSet([]graphql.CollectedField{field})
			var deferred graphql.DeferredGroup
			resolveInOrder(ctx, oc, out, &deferred, field, 0, true, c.nonNull, c.resolve)
			if out.Invalids != c.invalids {
				t.Errorf("%d invalids, want %d", out.Invalids, c.invalids)
			}
			if n := len(graphql.GetErrors(ctx)); n != c.wantErrors {
				t.Errorf("%d errors, want %d", n, c.wantErrors)
			}
			if c.wantWritten != "" {
				var b bytes.Buffer
				out.Values[0].MarshalGQL(&b)
				if b.String() != c.wantWritten {
					t.Errorf("wrote %s, want %s", b.String(), c.wantWritten)
				}
			}
		})
	}
}
