package postgres

import (
	"context"

	"github.com/hashicorp/golang-lru/v2"
	"github.com/jackc/pgx/v5"
)

// namedArgs are a statement's named arguments (@name), as pgx.NamedArgs, with the
// rewriting of the statement to positional ones ($1, $2, …) kept per statement
// text: pgx.NamedArgs lexes the whole text on every call (3 % of the server's CPU
// on a village page), while the query builder writes the same few hundred texts
// again and again with other values.
type namedArgs map[string]any

// rewrite is a statement's text with positional arguments, and the name of each.
type rewrite struct {
	sql   string
	names []string
}

// rewrites keeps the rewriting of the statements met lately.
var rewrites, _ = lru.New[string, rewrite](1024)

// RewriteQuery implements pgx.QueryRewriter as pgx.NamedArgs does.
func (na namedArgs) RewriteQuery(ctx context.Context, conn *pgx.Conn, sql string, args []any) (string, []any, error) {
	r, ok := rewrites.Get(sql)
	if !ok {
		// rewrite once with each argument's own name as its value: the arguments
		// come back in their positions, named
		names := make(pgx.NamedArgs, len(na))
		for k := range na {
			names[k] = k
		}
		newSQL, positional, err := names.RewriteQuery(ctx, conn, sql, args)
		if err != nil {
			return "", nil, err
		}
		r = rewrite{sql: newSQL, names: make([]string, len(positional))}
		for i, n := range positional {
			name, given := n.(string)
			if !given {
				// a name the statement uses and the arguments lack: not kept (another
				// call may give it), the statement rewritten as pgx would
				return pgx.NamedArgs(na).RewriteQuery(ctx, conn, sql, args)
			}
			r.names[i] = name
		}
		rewrites.Add(sql, r)
	}
	values := make([]any, len(r.names))
	for i, n := range r.names {
		values[i] = na[n]
	}
	return r.sql, values, nil
}
