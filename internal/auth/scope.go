// Package auth says who a caller is and what it may see. A Scope is applied inside
// every store statement, so no resolver can forget it.
package auth

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Scope is the part of the data a caller may see and change: everything, or the
// villages inside a set of areas (codes of any level).
type Scope struct {
	all   bool
	areas []string
}

// All is the scope that sees everything.
func All() Scope { return Scope{all: true} }

// Areas is the scope of the villages inside the given areas. With no codes it sees
// nothing.
func Areas(codes ...string) Scope {
	c := slices.Clone(codes)
	slices.Sort(c)
	return Scope{areas: slices.Compact(c)}
}

// IsAll reports whether the scope sees everything.
func (s Scope) IsAll() bool { return s.all }

// AreaCodes returns the areas of a limited scope.
func (s Scope) AreaCodes() []string { return slices.Clone(s.areas) }

// Covers reports whether an area code (of any level) lies inside the scope.
func (s Scope) Covers(code string) bool {
	if s.all {
		return true
	}
	for _, a := range s.areas {
		if strings.HasPrefix(code, a) {
			return true
		}
	}
	return false
}

// AreaPredicate returns an SQL condition that keeps the rows whose area code column
// col lies inside the scope. Its argument is in NamedArgs.
func (s Scope) AreaPredicate(col string) string {
	if s.all {
		return "TRUE"
	}
	return "EXISTS (SELECT 1 FROM unnest(@scope_areas::text[]) AS scope(code) WHERE " + col + " >= scope.code AND " + col + " < scope.code || ':')"
}

// NamedArgs returns the arguments of AreaPredicate.
func (s Scope) NamedArgs() pgx.NamedArgs {
	if s.all {
		return pgx.NamedArgs{}
	}
	return pgx.NamedArgs{"scope_areas": s.areas}
}

// String describes the scope for logs and test names.
func (s Scope) String() string {
	if s.all {
		return "all"
	}
	return "areas[" + strings.Join(s.areas, ",") + "]"
}

type scopeKey struct{}

// WithScope returns ctx carrying the caller's scope.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFrom returns the caller's scope. A context without one sees nothing: a
// forgotten scope fails closed.
func ScopeFrom(ctx context.Context) Scope {
	if s, ok := ctx.Value(scopeKey{}).(Scope); ok {
		return s
	}
	return Areas()
}
