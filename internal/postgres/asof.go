package postgres

import (
	"time"
)

// versioned returns what to read a versioned table (village_plan, plan_item,
// facilitator, budget_line) from: the table itself, or — as of a past instant —
// its rows as they were then, rebuilt from its versions (see migration 00014) in
// the table's own shape, so that every statement reads either the same way. args
// gets the instant. narrow are conditions on the versions (v) that find those a
// read needs through the versions' indexes (versionsByID, versionsByKey); without
// them every version in force at the instant is rebuilt, which suits aggregates
// and lists only.
func versioned(table string, asOf *time.Time, args namedArgs, narrow ...string) string {
	if asOf == nil {
		return table
	}
	args["as_of"] = *asOf
	where := "v.valid @> @as_of::timestamptz"
	for _, n := range narrow {
		where += " AND " + n
	}
	return `(SELECT (jsonb_populate_record(NULL::` + table + `, v.row)).* FROM ` + table + `_version v WHERE ` + where + `)`
}

// versionsByID narrows versions to the rows whose ids are in the array @param.
func versionsByID(param string) string { return "v.id = ANY(@" + param + ")" }

// versionsByKey narrows versions to the rows whose column (one with an index on
// the versions, migrations 00027–28: village_plan.village_code, plan_item and
// facilitator.village_plan_id, budget_line.plan_item_id) is in the array @param.
func versionsByKey(column, param string) string {
	if column == "village_code" {
		return `(v.row->>'village_code') COLLATE "C" = ANY(@` + param + ")"
	}
	return "(v.row->>'" + column + "')::bigint = ANY(@" + param + ")"
}

// versionsWithin narrows versions to the rows whose column (an area code:
// village_plan.village_code, budget_line.area_code; indexed in the C collation,
// migration 00028) lies within the area a filter named (the argument @area that
// query.within sets); nothing when the filter names none.
func versionsWithin(column string, args namedArgs) []string {
	if _, ok := args["area"]; !ok {
		return nil
	}
	return []string{prefixRange(`(v.row->>'`+column+`') COLLATE "C"`, "area")}
}
