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
// villages inside a set of areas (codes of any level) and of a set of programs.
type Scope struct {
	all      bool
	areas    []string
	programs []string
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

// Programs is the scope of the villages the given programs target.
func Programs(codes ...string) Scope {
	c := slices.Clone(codes)
	slices.Sort(c)
	return Scope{programs: slices.Compact(c)}
}

// Union is the scope that sees what either scope sees.
func (s Scope) Union(o Scope) Scope {
	if s.all || o.all {
		return All()
	}
	u := Areas(append(slices.Clone(s.areas), o.areas...)...)
	u.programs = Programs(append(slices.Clone(s.programs), o.programs...)...).programs
	return u
}

// IsNone reports whether the scope sees nothing.
func (s Scope) IsNone() bool { return !s.all && len(s.areas) == 0 && len(s.programs) == 0 }

// ProgramCodes returns the programs of a limited scope.
func (s Scope) ProgramCodes() []string { return slices.Clone(s.programs) }

// IsAll reports whether the scope sees everything.
func (s Scope) IsAll() bool { return s.all }

// AreaCodes returns the areas of a limited scope.
func (s Scope) AreaCodes() []string { return slices.Clone(s.areas) }

// CoversArea reports whether an area code (of any level) lies inside the scope's
// areas; program grants are not considered (they need the database).
func (s Scope) CoversArea(code string) bool {
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
// col lies inside the scope: inside one of its areas, or a village one of its
// programs targets. Its arguments are in NamedArgs.
func (s Scope) AreaPredicate(col string) string {
	switch {
	case s.all:
		return "TRUE"
	case s.IsNone():
		return "FALSE"
	}
	var conds []string
	if len(s.areas) > 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM unnest(@scope_areas::text[]) AS scope(code) WHERE "+col+" >= scope.code AND "+col+" < scope.code || ':')")
	}
	if len(s.programs) > 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM program_village scope_pv WHERE scope_pv.village_code = "+col+" AND scope_pv.program_code = ANY(@scope_programs))")
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// NamedArgs returns the arguments of AreaPredicate.
func (s Scope) NamedArgs() pgx.NamedArgs {
	args := pgx.NamedArgs{}
	if len(s.areas) > 0 {
		args["scope_areas"] = s.areas
	}
	if len(s.programs) > 0 {
		args["scope_programs"] = s.programs
	}
	return args
}

// String describes the scope for logs and test names.
func (s Scope) String() string {
	if s.all {
		return "all"
	}
	return "areas[" + strings.Join(s.areas, ",") + "] programs[" + strings.Join(s.programs, ",") + "]"
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

// All reports whether the scope sees everything (for the schema's AccessScope).
func (s Scope) All() bool { return s.all }
