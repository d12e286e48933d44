package graph

import (
	"context"
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// A list marshalled in order keeps gqlgen's contract: every element sees its own
// index, in order, and an element that panics is null with an error on its path
// while the others are marshalled.
func TestMarshalInOrder(t *testing.T) {
	ctx := listContext()
	var seen []int
	ret := marshalInOrder(ctx, 4, func(ctx context.Context, i int) graphql.Marshaler {
		seen = append(seen, *graphql.GetFieldContext(ctx).Index)
		if i == 2 {
			panic("element 2")
		}
		return graphql.MarshalInt(i)
	})
	if len(seen) != 4 || seen[0] != 0 || seen[3] != 3 {
		t.Errorf("indexes seen %v, want 0 1 2 3 in order", seen)
	}
	if ret[2] != graphql.Null || ret[3] == graphql.Null || ret[1] == graphql.Null {
		t.Errorf("marshalled %v, want element 2 null and the others set", ret)
	}
	errs := graphql.GetErrors(ctx)
	if len(errs) != 1 || errs[0].Message != "recovered" || pathIndex(errs[0]) != 2 {
		t.Errorf("errors %v, want one on element 2", errs)
	}
}

func pathIndex(e *gqlerror.Error) int {
	if len(e.Path) == 0 {
		return -1
	}
	i, ok := e.Path[len(e.Path)-1].(ast.PathIndex)
	if !ok {
		return -1
	}
	return int(i)
}

// A long list is cut into runs marshalled side by side: every element still gets
// its own index once, and a panic in any run nulls only its element.
func TestMarshalInOrder_LongList(t *testing.T) {
	ctx := listContext()
	const n = 5 * elementsPerWorker
	indexes := make([]int, n)
	for i := range indexes {
		indexes[i] = -1
	}
	ret := marshalInOrder(ctx, n, func(ctx context.Context, i int) graphql.Marshaler {
		indexes[i] = *graphql.GetFieldContext(ctx).Index
		if i == n-3 {
			panic("late element")
		}
		return graphql.MarshalInt(i)
	})
	for i := range n {
		if indexes[i] != i || (ret[i] == graphql.Null) != (i == n-3) {
			t.Fatalf("element %d: index %d, marshalled %v", i, indexes[i], ret[i])
		}
	}
	if errs := graphql.GetErrors(ctx); len(errs) != 1 || pathIndex(errs[0]) != n-3 {
		t.Errorf("errors %v, want one on element %d", errs, n-3)
	}
}

// listContext is the context of a list field in an operation whose panics are
// recovered as errors saying "recovered".
func listContext() context.Context {
	recovered := func(context.Context, any) error { return errors.New("recovered") }
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, recovered)
	ctx = graphql.WithOperationContext(ctx, &graphql.OperationContext{RecoverFunc: recovered})
	return graphql.WithFieldContext(ctx, &graphql.FieldContext{Field: graphql.CollectedField{}})
}

// An object's group of deferred fields is prepared only when one of its fields is
// deferred.
func TestDeferredGroupFor(t *testing.T) {
	ctx := listContext()
	plain := []graphql.CollectedField{{Field: &ast.Field{Name: "code"}}}
	if g := deferredGroupFor(ctx, plain); g.FieldSet != nil || g.Defers != nil {
		t.Errorf("no deferred field: group %+v, want it empty", g)
	}
	deferred := append(plain, graphql.CollectedField{Field: &ast.Field{Name: "nameTh"}, Deferrables: []*graphql.Deferrable{{Label: "n"}}})
	if g := deferredGroupFor(ctx, deferred); g.FieldSet == nil || g.Defers == nil || g.Context != ctx {
		t.Errorf("a deferred field: group %+v, want it prepared", g)
	}
}
