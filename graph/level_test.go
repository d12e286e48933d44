package graph

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestLevelPath_OneKeyPerPathWithoutIndexes holds that two field contexts share a
// level key exactly when their response paths without list indexes are the same,
// at any depth (the key keeps ten aliases in an array and joins the rest).
func TestLevelPath_OneKeyPerPathWithoutIndexes(t *testing.T) {
	// chain builds the field contexts of a path such as "villages.[3].plan", the
	// deepest returned
	chain := func(path string) *graphql.FieldContext {
		var fc *graphql.FieldContext
		for _, p := range strings.Split(path, ".") {
			c := &graphql.FieldContext{Parent: fc}
			if strings.HasPrefix(p, "[") {
				i := len(p)
				c.Index = &i
			} else {
				c.Field = graphql.CollectedField{Field: &ast.Field{Alias: p}}
			}
			fc = c
		}
		return fc
	}
	deep := strings.Repeat("a.", 10)
	paths := []string{
		"village", "village.plan", "villages.[0].plan", "villages.[7].plan", "villages.[7].plan.items",
		"villages.plan", "plan.villages", "villages.[1].planitems",
		deep + "b", deep + "b.c", deep + "[2].b.c", deep + "b.d", deep + "c.b", deep + "b.c.d.e",
		"a.a.a.a.a.a.a.a.a.b.c", // the same aliases as deep+"b.c", one level shallower
	}
	withoutIndexes := func(p string) string {
		var kept []string
		for _, part := range strings.Split(p, ".") {
			if !strings.HasPrefix(part, "[") {
				kept = append(kept, part)
			}
		}
		return strings.Join(kept, ".")
	}
	for _, a := range paths {
		for _, b := range paths {
			same := levelPath(chain(a)) == levelPath(chain(b))
			if want := withoutIndexes(a) == withoutIndexes(b); same != want {
				t.Errorf("%s and %s: same level key %v, want %v", a, b, same, want)
			}
		}
	}
}
