package postgres

import (
	"time"
)

// versioned returns what to read a versioned table (village_plan, plan_item,
// facilitator, budget_line) from: the table itself, or — as of a past instant —
// its rows as they were then, in the table's own shape, so that every statement
// reads either the same way. A row as it is now is in the table, valid from its
// valid_from; the versions a change or a delete ended are in the table's versions,
// each with the time it was in force (migrations 00014, 00031). args gets the
// instant. narrow are conditions that find the rows a read needs through the
// indexes of the table and of its versions (rowsByID, rowsByKey, rowsWithin); without them
// every version in force at the instant is rebuilt, which suits aggregates only.
func versioned(table string, asOf *time.Time, args namedArgs, narrow ...narrowing) string {
	if asOf == nil {
		return table
	}
	args["as_of"] = *asOf
	current, past := "t.valid_from <= @as_of::timestamptz", "v.valid @> @as_of::timestamptz"
	for _, n := range narrow {
		current += " AND " + n.current
		past += " AND " + n.past
	}
	return `(SELECT t.* FROM ` + table + ` t WHERE ` + current + `
		UNION ALL SELECT (jsonb_populate_record(NULL::` + table + `, v.row)).* FROM ` + table + `_version v WHERE ` + past + `)`
}

// narrowing is a condition on the rows a read as of an instant needs: on a row
// of the table (t) and on a version (v, its row as JSON).
type narrowing struct{ current, past string }

// rowsByID narrows to the rows whose ids are in the array @param.
func rowsByID(param string) narrowing {
	return narrowing{"t.id = ANY(@" + param + ")", "v.id = ANY(@" + param + ")"}
}

// rowsByKey narrows to the rows whose column (one with an index on the table and on
// its versions, migrations 00027–28: village_plan.village_code, plan_item and
// facilitator.village_plan_id, budget_line.plan_item_id) is in the array @param.
func rowsByKey(column, param string) narrowing {
	if column == "village_code" {
		return narrowing{"t.village_code = ANY(@" + param + ")", `(v.row->>'village_code') COLLATE "C" = ANY(@` + param + ")"}
	}
	return narrowing{"t." + column + " = ANY(@" + param + ")", "(v.row->>'" + column + "')::bigint = ANY(@" + param + ")"}
}

// rowsWithin narrows to the rows whose column (an area code: village_plan.village_code,
// budget_line.area_code; in the C collation on the table and indexed so on the
// versions, migration 00028) lies within the area a filter named (the argument
// @area that query.within sets); nothing when the filter names none.
func rowsWithin(column string, args namedArgs) []narrowing {
	if _, ok := args["area"]; !ok {
		return nil
	}
	return []narrowing{{prefixRange("t."+column, "area"), prefixRange(`(v.row->>'`+column+`') COLLATE "C"`, "area")}}
}
