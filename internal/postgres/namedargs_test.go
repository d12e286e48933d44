package postgres

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
)

// The rewriting kept per statement gives what pgx.NamedArgs gives, call after call
// with other values: names in order of first use, a name used twice one position,
// names in strings and comments left alone, a name the arguments lack null.
func TestNamedArgs_RewriteAsPgxDoes(t *testing.T) {
	cases := []struct {
		sql  string
		args []map[string]any
	}{
		{`SELECT * FROM area v WHERE v.code = ANY(@codes) AND length(v.code) = 8 AND v.code >= @area`,
			[]map[string]any{{"codes": []string{"50"}, "area": "5004"}, {"codes": []string{"57", "58"}, "area": "57", "unused": 1}}},
		{`SELECT @a, @b, @a, '@b is text', $$@c$$ -- @d
			, @e`, []map[string]any{{"a": 1, "b": "สอง", "e": 5}, {"a": 10, "b": "๒", "e": nil}}},
		{`SELECT @present, @missing`, []map[string]any{{"present": 1}, {"present": 2, "missing": 3}, {"present": 4}}},
	}
	for _, c := range cases {
		for _, a := range c.args {
			wantSQL, want, err := pgx.NamedArgs(a).RewriteQuery(t.Context(), nil, c.sql, nil)
			if err != nil {
				t.Fatal(err)
			}
			gotSQL, got, err := namedArgs(a).RewriteQuery(t.Context(), nil, c.sql, nil)
			if err != nil {
				t.Fatal(err)
			}
			if gotSQL != wantSQL || !cmp.Equal(got, want) {
				t.Errorf("%s with %v:\n got %s %v\nwant %s %v", c.sql, a, gotSQL, got, wantSQL, want)
			}
		}
	}
}
