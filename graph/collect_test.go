package graph

import (
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestCollectFields_KeptOnlyWhereNoVariableCanChangeThem collects a document's
// fields level by level, as the generated code does, for requests with different
// variables, and holds every level equal to what gqlgen collects afresh for that
// request — the levels without directives kept from the first request, the levels
// with @include, @skip or @defer following each request's variables.
func TestCollectFields_KeptOnlyWhereNoVariableCanChangeThem(t *testing.T) {
	schema := NewExecutableSchema(Config{}).Schema()
	doc, errs := gqlparser.LoadQuery(schema, `
		query Page($code: String!, $withPlan: Boolean!, $skipItems: Boolean!) {
			village(code: $code) {
				code ...names
				plan(fiscalYear: 2565) @include(if: $withPlan) {
					status
					...items @skip(if: $skipItems)
					budgetTotal
				}
				district { ... on District { code nameTh } }
			}
		}
		fragment names on Village { nameTh nameEn code }
		fragment items on VillagePlan { items { title budgetLines { amount } } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	op := doc.Operations[0]
	request := func(withPlan, skipItems bool) *graphql.OperationContext {
		return &graphql.OperationContext{Doc: doc, Operation: op,
			Variables: map[string]any{"code": "50040103", "withPlan": withPlan, "skipItems": skipItems}}
	}
	// walk collects every level below sel with collect, writing each field's path
	walk := func(oc *graphql.OperationContext, collect func(*graphql.OperationContext, ast.SelectionSet, []string) []graphql.CollectedField) []string {
		var paths []string
		var level func(prefix string, sel ast.SelectionSet, typ string)
		level = func(prefix string, sel ast.SelectionSet, typ string) {
			for _, f := range collect(oc, sel, []string{typ}) {
				paths = append(paths, prefix+f.Alias)
				if len(f.Selections) > 0 {
					level(prefix+f.Alias+".", f.Selections, f.Definition.Type.Name())
				}
			}
		}
		level("", op.SelectionSet, "Query")
		return paths
	}
	variants := [][2]bool{{true, false}, {false, false}, {true, true}, {true, false}, {false, true}}
	for round := range 2 {
		for _, v := range variants {
			got := walk(request(v[0], v[1]), collectFields)
			want := walk(request(v[0], v[1]), graphql.CollectFields)
			if !slices.Equal(got, want) {
				t.Fatalf("round %d, withPlan %v, skipItems %v: collected\n%s\ngqlgen collects\n%s", round, v[0], v[1], strings.Join(got, " "), strings.Join(want, " "))
			}
			if hasPlan := slices.Contains(got, "village.plan.status"); hasPlan != v[0] {
				t.Errorf("withPlan %v: plan collected %v", v[0], hasPlan)
			}
			if hasItems := slices.Contains(got, "village.plan.items.title"); hasItems != (v[0] && !v[1]) {
				t.Errorf("withPlan %v, skipItems %v: items collected %v", v[0], v[1], hasItems)
			}
		}
	}

	// levels without directives are collected once and then shared, even below a
	// level collected for each request (the village's, with @include)
	sameLevel := func(a, b []graphql.CollectedField) bool { return len(a) > 0 && len(b) > 0 && &a[0] == &b[0] }
	root := func(oc *graphql.OperationContext) []graphql.CollectedField {
		return collectFields(oc, op.SelectionSet, []string{"Query"})
	}
	villageOf := func(oc *graphql.OperationContext) []graphql.CollectedField {
		return collectFields(oc, root(oc)[0].Selections, []string{"Village"})
	}
	districtOf := func(oc *graphql.OperationContext) []graphql.CollectedField {
		for _, f := range villageOf(oc) {
			if f.Alias == "district" {
				return collectFields(oc, f.Selections, []string{"District"})
			}
		}
		t.Fatal("no district collected")
		return nil
	}
	a, b := request(true, false), request(false, true)
	if !sameLevel(root(a), root(b)) {
		t.Error("the root level (no directives) was collected again for a second request")
	}
	if !sameLevel(districtOf(a), districtOf(b)) {
		t.Error("the district's level (no directives) was collected again for a second request")
	}
	if sameLevel(villageOf(a), villageOf(b)) {
		t.Error("the village's level (with @include) was shared between requests")
	}
	if names := aliases(villageOf(b)); slices.Contains(names, "plan") || !slices.Contains(names, "nameEn") {
		t.Errorf("withPlan false: the village's fields are %v", names)
	}
}

func aliases(fs []graphql.CollectedField) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Alias)
	}
	return out
}

// TestCollectedFields_Bounded holds that the fields kept are dropped once they
// reach collectedMax entries, so that what they keep alive stays bounded.
func TestCollectedFields_Bounded(t *testing.T) {
	var c collectedFields
	entries := func() int {
		n := 0
		c.entries.Range(func(any, any) bool { n++; return true })
		return n
	}
	for i := range collectedMax + 10 {
		c.store(collectedKey{first: &ast.Field{Alias: "f"}, n: i}, &collectedEntry{})
	}
	if n := entries(); n > collectedMax || n != 10 {
		t.Errorf("%d entries kept after %d stored, want the 10 since the bound was reached", n, collectedMax+10)
	}
}
