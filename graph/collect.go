package graph

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// collectFields returns the fields of a selection set for an object satisfying
// satisfies, as graphql.CollectFields does (the generator, internal/gqlgen, calls it
// in its place). gqlgen collects them afresh for every request — a slice, the
// merged selections of every field, a cache key and a map entry for every object
// type of the answer, some seventy allocations on a village page — though an
// operation's documents are parsed once and kept (the handler's query cache). What
// is collected depends on the request only through the directives @include, @skip
// and @defer, whose arguments may be variables; a selection set without any
// directive at its level (its fields, its fragments and their fields) collects the
// same fields for every request, and those are kept here across requests. A set
// with a directive is collected by gqlgen for each request, as before.
//
// What is kept is read-only, as gqlgen's own per-request cache already assumes: the
// elements of a list share one collection. An entry keeps its document's nodes
// alive, so their addresses cannot be reused by another document while it is there.
func collectFields(op *graphql.OperationContext, sel ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	if len(sel) == 0 {
		return graphql.CollectFields(op, sel, satisfies)
	}
	key := collectedKey{first: sel[0], n: len(sel), satisfies: satisfiesHash(satisfies)}
	if e, ok := collected.load(key); ok && e.holds(sel, satisfies) {
		if e.kept {
			return e.fields
		}
		return graphql.CollectFields(op, sel, satisfies)
	}
	fields := graphql.CollectFields(op, sel, satisfies)
	e := &collectedEntry{set: sel, satisfies: satisfies, kept: noDirectives(op.Doc, sel, map[string]bool{})}
	if e.kept {
		e.fields = fields
	}
	collected.store(key, e)
	return fields
}

// collected is the fields kept by collectFields, dropped all at once when they
// reach collectedMax entries: a document has a few dozen selection sets, and an entry
// keeps its document alive, so the bound is also one on the memory of documents the
// handler's query cache has let go (a few hundred at most).
var collected collectedFields

const collectedMax = 8192

type collectedFields struct {
	entries sync.Map // collectedKey → *collectedEntry
	n       atomic.Int64
}

func (c *collectedFields) load(key collectedKey) (*collectedEntry, bool) {
	e, ok := c.entries.Load(key)
	if !ok {
		return nil, false
	}
	return e.(*collectedEntry), true
}

func (c *collectedFields) store(key collectedKey, e *collectedEntry) {
	if c.n.Add(1) > collectedMax {
		c.entries.Clear()
		c.n.Store(1)
	}
	c.entries.Store(key, e)
}

// collectedKey names a selection set by its first selection — a node of the
// document, the same for every request, where the set itself is a slice that a
// field's collection may have built afresh — and its length; the entry then holds
// the whole set to compare.
type collectedKey struct {
	first     ast.Selection
	n         int
	satisfies uint64
}

type collectedEntry struct {
	set       ast.SelectionSet
	satisfies []string
	kept      bool // false: the set has a directive, collected per request
	fields    []graphql.CollectedField
}

// holds reports whether the entry is that of sel's selections for satisfies.
func (e *collectedEntry) holds(sel ast.SelectionSet, satisfies []string) bool {
	return slices.Equal(e.set, sel) && slices.Equal(e.satisfies, satisfies)
}

// satisfiesHash is FNV-1a over the type names, each followed by a zero byte.
func satisfiesHash(satisfies []string) uint64 {
	h := uint64(14695981039346656037)
	for _, s := range satisfies {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * 1099511628211
		}
		h *= 1099511628211 // the zero byte
	}
	return h
}

// noDirectives reports whether no selection at sel's level — its fields, its inline
// fragments, its fragment spreads and, through them, the fragments' selections —
// carries a directive.
func noDirectives(doc *ast.QueryDocument, sel ast.SelectionSet, visited map[string]bool) bool {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if len(s.Directives) > 0 {
				return false
			}
		case *ast.InlineFragment:
			if len(s.Directives) > 0 || !noDirectives(doc, s.SelectionSet, visited) {
				return false
			}
		case *ast.FragmentSpread:
			if len(s.Directives) > 0 {
				return false
			}
			if visited[s.Name] {
				continue
			}
			visited[s.Name] = true
			f := doc.Fragments.ForName(s.Name)
			if f == nil || len(f.Directives) > 0 || !noDirectives(doc, f.SelectionSet, visited) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
