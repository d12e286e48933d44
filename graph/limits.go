package graph

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits protect the hub from requests that would cost too much: each is checked
// on the parsed and validated operation, before anything runs.
type Limits struct {
	// MaxDepth is the deepest nesting of fields (the root's fields are depth 1).
	MaxDepth int
	// MaxCost caps the estimated cost: every field costs 1, and a list field's
	// selection counts once per item it may return — its `first` argument where it
	// has one, else ListFactor.
	MaxCost int
	// MaxAliases caps the aliased fields, which repeat work under other names.
	MaxAliases int
}

// DefaultLimits fit the five benchmark operations (docs/bench/ops) comfortably — the
// partner pull of 500 villages with their plans costs about 22,000 — and a page of
// 100 villages with plans, items, lines and their agencies (about 390,000: the
// estimate counts 10 items for every nested list, where plans hold 3, items 3–7
// and lines 1–2).
var DefaultLimits = Limits{MaxDepth: 12, MaxCost: 500000, MaxAliases: 30}

// ListFactor is how many items a list field without `first` is counted as.
const ListFactor = 10

// The error codes of the limits.
const (
	CodeTooDeep       = "QUERY_TOO_DEEP"
	CodeTooComplex    = "QUERY_TOO_COMPLEX"
	CodeTooManyAlias  = "TOO_MANY_ALIASES"
	defaultFirstValue = 50
)

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Limits{}

// ExtensionName names the extension.
func (Limits) ExtensionName() string { return "Limits" }

// Validate accepts any schema.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses an operation over a limit, with a message that
// says the limit and what the operation came to.
func (l Limits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	m := measure(oc.Operation.SelectionSet, oc.Variables, 1)
	refuse := func(code, format string, args ...any) *gqlerror.Error {
		return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": code}}
	}
	switch {
	case l.MaxDepth > 0 && m.depth > l.MaxDepth:
		return refuse(CodeTooDeep, "the query nests %d levels deep; at most %d are allowed", m.depth, l.MaxDepth)
	case l.MaxAliases > 0 && m.aliases > l.MaxAliases:
		return refuse(CodeTooManyAlias, "the query uses %d aliases; at most %d are allowed", m.aliases, l.MaxAliases)
	case l.MaxCost > 0 && m.cost > l.MaxCost:
		return refuse(CodeTooComplex, "the query's estimated cost is %d; at most %d is allowed (a list counts once per item it may return: ask for smaller pages or fewer fields)", m.cost, l.MaxCost)
	}
	return nil
}

// measured is what measure finds in a selection set.
type measured struct{ depth, cost, aliases int }

// measure walks a selection set (fragments included) at the given depth.
func measure(set ast.SelectionSet, vars map[string]any, depth int) measured {
	var out measured
	for _, sel := range set {
		var m measured
		switch s := sel.(type) {
		case *ast.Field:
			m = measureField(s, vars, depth)
		case *ast.InlineFragment:
			m = measure(s.SelectionSet, vars, depth)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				m = measure(s.Definition.SelectionSet, vars, depth)
			}
		}
		out.depth = max(out.depth, m.depth)
		out.cost = saturate(out.cost + m.cost)
		out.aliases += m.aliases
	}
	return out
}

func measureField(f *ast.Field, vars map[string]any, depth int) measured {
	m := measured{depth: depth, cost: 1}
	if f.Alias != "" && f.Alias != f.Name {
		m.aliases = 1
	}
	if len(f.SelectionSet) == 0 {
		return m
	}
	child := measure(f.SelectionSet, vars, depth+1)
	m.depth, m.aliases = child.depth, m.aliases+child.aliases
	items := 1
	if f.Definition != nil && f.Definition.Type != nil && f.Definition.Type.Elem != nil {
		items = ListFactor
	}
	if f.Definition != nil && f.Definition.Arguments.ForName("first") != nil {
		items = defaultFirstValue
		if first, ok := intValue(f.ArgumentMap(vars)["first"]); ok {
			items = max(first, 0) // a bad page size is the resolver's to refuse
		}
	} else if connectionItems(f) {
		items = 1
	}
	m.cost = saturate(m.cost + saturate(items*child.cost))
	return m
}

// connectionItems tells a connection's edges or nodes, already counted by the
// connection's `first`.
func connectionItems(f *ast.Field) bool {
	return (f.Name == "nodes" || f.Name == "edges") && f.ObjectDefinition != nil && len(f.ObjectDefinition.Name) > len("Connection") &&
		f.ObjectDefinition.Name[len(f.ObjectDefinition.Name)-len("Connection"):] == "Connection"
}

func intValue(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return int(x), true
	case int:
		return x, true
	case float64:
		return int(x), true
	case json.Number:
		n, err := x.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// saturate keeps costs from overflowing.
func saturate(n int) int {
	if n < 0 || n > 1<<40 {
		return 1 << 40
	}
	return n
}
