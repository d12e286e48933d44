package postgres

import (
	"fmt"
	"strings"

	"github.com/prasan-hub/prasan/internal/auth"
)

// kindSQL is what the store knows of a kind of record: the checks only the
// database can make, whether a record's object exists, and how the values shown
// are written into the objects' table.
type kindSQL struct {
	// table is the objects' table.
	table string
	// lookups join to each staged record (ri) the rows its checks look for, at
	// most one each (LEFT JOINs): joined once for the batch, where a check's
	// subquery looked each record's up in an index.
	lookups string
	// checks are made on each staged record (ri), in order; the first that holds
	// rejects it.
	checks []check
	// exists holds when the object of the staged record ri exists (it may read
	// the lookups).
	exists string
	// parent is the id of the row the staged record's object hangs from (its
	// village's plan, its plan item), found by the lookups, so that writing the
	// objects the batch creates does not look it up again; empty for a kind of
	// none.
	parent string
	// materialize writes the values shown (shown: entity_key, v jsonb, parent_id:
	// the parent's id when known, else NULL) into the objects' table; an object
	// it inserts is marked as created by @batch.
	materialize string
	// remove deletes the objects a batch (@batch) created that nothing asserts or
	// uses any more, returning their keys.
	remove string
	// current reads the asserted fields of the existing objects of the staged
	// records (ri, status UPDATED) as they are now: key and a JSON object.
	current string
}

// unasserted holds when no agency asserts anything of the object of @entity whose
// key is key.
func unasserted(key string) string {
	return `NOT EXISTS (SELECT 1 FROM assertion a WHERE a.entity = @entity AND a.entity_key = ` + key + `)`
}

// check is a condition on a staged record that rejects it: the field at fault and
// the message, both SQL text expressions.
type check struct{ field, cond, message string }

// judge is the query that judges the staged records: each record with the field
// at fault and why (duplicates within the batch, the kind's checks, the write
// scope, a sourceId already naming another object), the object its sourceId
// names, and the status it would get.
func (k *kindSQL) judge(write auth.Scope) string {
	// the scope first: outside it, nothing else about the object is told
	checks := []check{
		{"'sourceId'", "ri.first_source <> ri.idx", "'the same sourceId as ' || @unit || ' ' || ri.first_source"},
		{"'sourceId'", "ri.first_key <> ri.idx", "'names the same object (' || ri.entity_key || ') as ' || @unit || ' ' || ri.first_key"},
		{"CASE WHEN ri.vals ? 'villageCode' THEN 'villageCode' ELSE 'areaCode' END", "NOT coalesce(" + write.AreaPredicate("ri.area_code") + ", false)",
			"CASE WHEN ri.area_code IS NULL THEN 'a record of no area is for callers who write everywhere' ELSE 'area ' || ri.area_code || ' is outside the areas you may write' END"},
	}
	checks = append(checks, k.checks...)
	checks = append(checks, check{"'sourceId'", "sr.entity_key IS NOT NULL AND sr.entity_key <> ri.entity_key",
		"'this sourceId of your agency names ' || sr.entity_key || ', not ' || ri.entity_key"})
	// each condition is evaluated once, for the first that fails (the subquery is
	// kept from being pulled up, which would evaluate them once more for the message)
	var failed, field, message strings.Builder
	for i, c := range checks {
		failed.WriteString(fmt.Sprintf(" WHEN %s THEN %d", c.cond, i+1))
		field.WriteString(fmt.Sprintf(" WHEN %d THEN %s", i+1, c.field))
		message.WriteString(fmt.Sprintf(" WHEN %d THEN %s", i+1, c.message))
	}
	return `SELECT ri.idx, ri.source_id, ri.entity_key, ri.area_code, ri.vals, ri.payload_hash,
			CASE c.failed` + field.String() + ` END AS fault_field, CASE c.failed` + message.String() + ` END AS fault,
			sr.entity_key AS bound_to, ` + k.parentID() + ` AS parent_id,
			CASE WHEN NOT (` + k.exists + `) THEN 'CREATED' WHEN sr.payload_hash = ri.payload_hash THEN 'UNCHANGED' ELSE 'UPDATED' END AS status
		FROM (SELECT r.*, ds.first AS first_source, dk.first AS first_key FROM record_in r
			-- a sourceId or an object the batch names more than once, with the first
			-- record naming it: grouped by hash on narrow rows (sorting the records
			-- for a window took a second of a national file, and sorting them whole
			-- spilled hundreds of megabytes to disk)
			LEFT JOIN (SELECT source_id, min(idx) AS first FROM record_in GROUP BY source_id HAVING count(*) > 1) ds USING (source_id)
			LEFT JOIN (SELECT entity_key, min(idx) AS first FROM record_in GROUP BY entity_key HAVING count(*) > 1) dk USING (entity_key)) ri
		LEFT JOIN source_record sr ON sr.agency_code = @agency AND sr.kind = @kind AND sr.source_id = ri.source_id
		` + k.lookups + `
		CROSS JOIN LATERAL (SELECT CASE` + failed.String() + ` END AS failed OFFSET 0) c`
}

// parentID is the SQL the judge selects as a staged record's parent_id.
func (k *kindSQL) parentID() string {
	if k.parent == "" {
		return "NULL::bigint"
	}
	return k.parent
}

// Lookups the kinds share, joined to each staged record (ri): the village it
// names (lv), that village's plan for its fiscal year (lp), the agency a field
// names (la), the program it names (lpg).
const (
	villageLookup = `LEFT JOIN area lv ON lv.code = ri.vals->>'villageCode' AND lv.level = 'VILLAGE'`
	planLookup    = `LEFT JOIN village_plan lp ON lp.village_code = ri.vals->>'villageCode' AND lp.fiscal_year = (ri.vals->>'fiscalYear')::int`
	programLookup = `LEFT JOIN program lpg ON lpg.code = ri.vals->>'programCode'`
)

func agencyLookup(field string) string {
	return `LEFT JOIN agency la ON la.code = ri.vals->>'` + field + `'`
}

// Conditions and messages the kinds share, on their lookups.
const (
	villageNotFound = `lv.code IS NULL`
	villageMessage  = `'no village ' || (ri.vals->>'villageCode')`
	planNotFound    = `lp.id IS NULL`
	planMessage     = `'village ' || (ri.vals->>'villageCode') || ' has no plan for fiscal year ' || (ri.vals->>'fiscalYear') || ': send the plan first'`
)

// agencyNotFound rejects a record naming in field an agency the hub does not know
// (agencyLookup).
func agencyNotFound(field string) check {
	return check{"'" + field + "'", `ri.vals ? '` + field + `' AND la.code IS NULL`, `'no agency ' || (ri.vals->>'` + field + `')`}
}

// programNotFound rejects a record naming in field (programCode) a program the hub
// does not know (programLookup).
func programNotFound(field string) check {
	return check{"'" + field + "'", `ri.vals ? '` + field + `' AND lpg.code IS NULL`, `'no program ' || (ri.vals->>'` + field + `')`}
}

// keyPart is the n-th part (from 1) of a shown object's key.
func keyPart(n string) string { return `split_part(sf.entity_key, ':', ` + n + `)` }

var kindSQLs = map[string]*kindSQL{
	"village_plan": {
		table:   "village_plan",
		lookups: villageLookup + ` ` + planLookup,
		checks:  []check{{"'villageCode'", villageNotFound, villageMessage}},
		exists:  `lp.id IS NOT NULL`,
		materialize: `INSERT INTO village_plan AS p (village_code, fiscal_year, status, scheduled_start, scheduled_end, completed_on, participation_rate, created_by_batch)
			SELECT ` + keyPart("1") + `, ` + keyPart("2") + `::smallint, coalesce(sf.v->>'status', 'NOT_STARTED'),
				(sf.v->>'scheduledStart')::date, (sf.v->>'scheduledEnd')::date,
				CASE WHEN sf.v->>'status' = 'COMPLETED' THEN (sf.v->>'completedOn')::date END,
				(sf.v->>'participationRate')::numeric, @batch::bigint
			FROM shown sf
			ON CONFLICT (village_code, fiscal_year) DO UPDATE SET status = EXCLUDED.status,
				scheduled_start = coalesce(EXCLUDED.scheduled_start, p.scheduled_start),
				scheduled_end = coalesce(EXCLUDED.scheduled_end, p.scheduled_end),
				completed_on = CASE WHEN EXCLUDED.status = 'COMPLETED' THEN coalesce(EXCLUDED.completed_on, p.completed_on) END,
				participation_rate = coalesce(EXCLUDED.participation_rate, p.participation_rate),
				is_demo = false, updated_at = now()`,
		current: `SELECT ri.entity_key, jsonb_build_object('status', p.status, 'scheduledStart', p.scheduled_start, 'scheduledEnd', p.scheduled_end,
				'completedOn', p.completed_on, 'participationRate', to_char(p.participation_rate, 'FM990.00'))
			FROM record_in ri JOIN village_plan p ON p.village_code = ri.vals->>'villageCode' AND p.fiscal_year = (ri.vals->>'fiscalYear')::int`,
		remove: `DELETE FROM village_plan p WHERE p.created_by_batch = @batch AND ` + unasserted(`p.village_code || ':' || p.fiscal_year`) + `
			AND NOT EXISTS (SELECT 1 FROM plan_item pi WHERE pi.village_plan_id = p.id)
			AND NOT EXISTS (SELECT 1 FROM facilitator f WHERE f.village_plan_id = p.id)
			RETURNING p.village_code || ':' || p.fiscal_year`,
	},
	"plan_item": {
		table: "plan_item",
		lookups: villageLookup + ` ` + planLookup + ` ` + agencyLookup("responsibleAgencyCode") + `
			LEFT JOIN plan_item li ON li.village_plan_id = lp.id AND li.position = (ri.vals->>'position')::int`,
		checks: []check{{"'villageCode'", villageNotFound, villageMessage}, {"'fiscalYear'", planNotFound, planMessage},
			agencyNotFound("responsibleAgencyCode")},
		exists: `li.id IS NOT NULL`,
		parent: `lp.id`,
		materialize: `INSERT INTO plan_item AS i (village_plan_id, position, title, category, responsible_agency_code, created_by_batch)
			SELECT coalesce(sf.parent_id, (SELECT vp.id FROM village_plan vp
					WHERE vp.village_code = ` + keyPart("1") + ` AND vp.fiscal_year = ` + keyPart("2") + `::smallint)),
				` + keyPart("3") + `::smallint, sf.v->>'title', sf.v->>'category', sf.v->>'responsibleAgencyCode', @batch::bigint
			FROM shown sf
			ON CONFLICT (village_plan_id, position) DO UPDATE SET title = EXCLUDED.title, category = EXCLUDED.category,
				responsible_agency_code = coalesce(EXCLUDED.responsible_agency_code, i.responsible_agency_code),
				is_demo = false, updated_at = now()`,
		current: `SELECT ri.entity_key, jsonb_build_object('title', i.title, 'category', i.category, 'responsibleAgencyCode', i.responsible_agency_code)
			FROM record_in ri JOIN village_plan vp ON vp.village_code = ri.vals->>'villageCode' AND vp.fiscal_year = (ri.vals->>'fiscalYear')::int
			JOIN plan_item i ON i.village_plan_id = vp.id AND i.position = (ri.vals->>'position')::int`,
		remove: `DELETE FROM plan_item i USING village_plan vp
			WHERE vp.id = i.village_plan_id AND i.created_by_batch = @batch
				AND ` + unasserted(`vp.village_code || ':' || vp.fiscal_year || ':' || i.position`) + `
				AND NOT EXISTS (SELECT 1 FROM budget_line bl WHERE bl.plan_item_id = i.id)
			RETURNING vp.village_code || ':' || vp.fiscal_year || ':' || i.position`,
	},
	"budget_line": {
		table: "budget_line",
		lookups: agencyLookup("agencyCode") + ` ` + villageLookup + ` ` + planLookup + `
			LEFT JOIN plan_item li ON li.village_plan_id = lp.id AND li.position = (ri.vals->>'itemPosition')::int
			` + programLookup + `
			LEFT JOIN area lar ON lar.code = ri.vals->>'areaCode'`,
		checks: []check{
			agencyNotFound("agencyCode"),
			{"'villageCode'", `ri.vals ? 'villageCode' AND ` + villageNotFound, villageMessage},
			{"'itemPosition'", `ri.vals ? 'villageCode' AND li.id IS NULL`,
				`'the plan of village ' || (ri.vals->>'villageCode') || ' for fiscal year ' || (ri.vals->>'fiscalYear') || ' has no item ' || (ri.vals->>'itemPosition')`},
			programNotFound("programCode"),
			{"'areaCode'", `ri.vals ? 'areaCode' AND lar.code IS NULL`, `'no area ' || (ri.vals->>'areaCode')`},
		},
		exists: `EXISTS (SELECT 1 FROM budget_line bl WHERE bl.ingest_key = ri.entity_key)`,
		parent: `li.id`,
		// key: item:FY:AGENCY:SOURCE:VILLAGE:POSITION or program:FY:AGENCY:SOURCE:PROGRAM:AREA
		materialize: `INSERT INTO budget_line AS b (ingest_key, fiscal_year, agency_code, source, plan_item_id, program_code, area_code, amount, status, description,
				created_by_batch)
			SELECT sf.entity_key, ` + keyPart("2") + `::smallint, ` + keyPart("3") + `, ` + keyPart("4") + `,
				coalesce(sf.parent_id, (SELECT pi.id FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id
					WHERE ` + keyPart("1") + ` = 'item' AND vp.village_code = ` + keyPart("5") + `
						AND vp.fiscal_year = ` + keyPart("2") + `::smallint AND pi.position = nullif(` + keyPart("6") + `, '')::smallint)),
				CASE WHEN ` + keyPart("1") + ` = 'program' THEN ` + keyPart("5") + ` END,
				-- a program line's area, or an item line's village (checked by a trigger)
				CASE WHEN ` + keyPart("1") + ` = 'program' THEN nullif(` + keyPart("6") + `, '') ELSE ` + keyPart("5") + ` END,
				(sf.v->>'amount')::numeric, sf.v->>'status', sf.v->>'description', @batch::bigint
			FROM shown sf
			ON CONFLICT (ingest_key) DO UPDATE SET amount = EXCLUDED.amount, status = EXCLUDED.status,
				description = coalesce(EXCLUDED.description, b.description), is_demo = false, updated_at = now()`,
		current: `SELECT ri.entity_key, jsonb_build_object('amount', to_char(b.amount, 'FM99999999999990.00'), 'status', b.status, 'description', b.description)
			FROM record_in ri JOIN budget_line b ON b.ingest_key = ri.entity_key`,
		remove: `DELETE FROM budget_line b WHERE b.created_by_batch = @batch AND ` + unasserted("b.ingest_key") + ` RETURNING b.ingest_key`,
	},
	"facilitator": {
		table:   "facilitator",
		lookups: villageLookup + ` ` + planLookup + ` ` + agencyLookup("agencyCode"),
		checks: []check{{"'villageCode'", villageNotFound, villageMessage}, {"'fiscalYear'", planNotFound, planMessage},
			agencyNotFound("agencyCode")},
		exists: `EXISTS (SELECT 1 FROM facilitator f WHERE f.ingest_key = ri.entity_key)`,
		parent: `lp.id`,
		materialize: `INSERT INTO facilitator AS f (ingest_key, village_plan_id, role, name, phone, agency_code, created_by_batch)
			SELECT sf.entity_key, coalesce(sf.parent_id, (SELECT vp.id FROM village_plan vp
					WHERE vp.village_code = ` + keyPart("1") + ` AND vp.fiscal_year = ` + keyPart("2") + `::smallint)),
				` + keyPart("3") + `, sf.v->>'name', sf.v->>'phone', sf.v->>'agencyCode', @batch::bigint
			FROM shown sf
			ON CONFLICT (ingest_key) DO UPDATE SET name = EXCLUDED.name, phone = coalesce(EXCLUDED.phone, f.phone),
				agency_code = coalesce(EXCLUDED.agency_code, f.agency_code), is_demo = false`,
		current: `SELECT ri.entity_key, jsonb_build_object('name', f.name, 'phone', f.phone, 'agencyCode', f.agency_code)
			FROM record_in ri JOIN facilitator f ON f.ingest_key = ri.entity_key`,
		remove: `DELETE FROM facilitator f WHERE f.created_by_batch = @batch AND ` + unasserted("f.ingest_key") + ` RETURNING f.ingest_key`,
	},
	"prevention_activity": {
		table:   "prevention_activity",
		lookups: villageLookup + ` ` + programLookup,
		checks:  []check{{"'villageCode'", villageNotFound, villageMessage}, programNotFound("programCode")},
		exists:  `EXISTS (SELECT 1 FROM prevention_activity pa WHERE pa.ingest_key = ri.entity_key)`,
		materialize: `INSERT INTO prevention_activity AS pa (ingest_key, agency_code, village_code, held_on, activity_type, title, participants, program_code,
				created_by_batch)
			SELECT sf.entity_key, ` + keyPart("1") + `, sf.v->>'villageCode', (sf.v->>'heldOn')::date, sf.v->>'activityType',
				sf.v->>'title', (sf.v->>'participants')::int, sf.v->>'programCode', @batch::bigint
			FROM shown sf
			ON CONFLICT (ingest_key) DO UPDATE SET village_code = EXCLUDED.village_code, held_on = EXCLUDED.held_on,
				activity_type = EXCLUDED.activity_type, title = EXCLUDED.title,
				participants = coalesce(EXCLUDED.participants, pa.participants),
				program_code = coalesce(EXCLUDED.program_code, pa.program_code), updated_at = now()`,
		current: `SELECT ri.entity_key, jsonb_build_object('villageCode', pa.village_code, 'heldOn', pa.held_on, 'activityType', pa.activity_type,
				'title', pa.title, 'participants', pa.participants, 'programCode', pa.program_code)
			FROM record_in ri JOIN prevention_activity pa ON pa.ingest_key = ri.entity_key`,
		remove: `DELETE FROM prevention_activity pa WHERE pa.created_by_batch = @batch AND ` + unasserted("pa.ingest_key") + ` RETURNING pa.ingest_key`,
	},
}
