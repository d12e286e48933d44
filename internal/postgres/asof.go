package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"
)

// versioned returns what to read a versioned table (village_plan, plan_item,
// facilitator, budget_line) from: the table itself, or — as of a past instant —
// its rows as they were then, rebuilt from its versions (see migration 00014) in
// the table's own shape, so that every statement reads either the same way. args
// gets the instant.
func versioned(table string, asOf *time.Time, args pgx.NamedArgs) string {
	if asOf == nil {
		return table
	}
	args["as_of"] = *asOf
	return `(SELECT (jsonb_populate_record(NULL::` + table + `, v.row)).* FROM ` + table + `_version v WHERE v.valid @> @as_of::timestamptz)`
}
