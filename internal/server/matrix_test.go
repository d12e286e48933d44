package server_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
)

// The authorization matrix: every role × every query, mutation and field group ×
// in scope / out of scope. A letter per role, in the order of matrixRoles:
//
//	A  allow: answered in and out of the caller's areas
//	F  filter: answered in scope; out of scope it behaves as if absent (null,
//	   empty, zero) for reads, and is FORBIDDEN for writes
//	D  deny: FORBIDDEN
//	M  mask (field groups): null with a FORBIDDEN error (out of scope the objects
//	   are absent altogether)
//
// Each limited role's token grants Chiang Mai (50) and the Roi Jai Rak program;
// "out of scope" is a Chiang Rai village outside that program, with its own plan,
// budget line, program and meeting. The test fails when the schema has a query,
// mutation or field group without an entry here.
var matrixRoles = []auth.Role{auth.RoleONCB, auth.RoleONCBRegion, auth.RoleMOI, auth.RoleProvince,
	auth.RolePidThong, auth.RolePartner, auth.RoleViewer, auth.RoleAdmin}

type matrixCase struct {
	expect string // one letter per role of matrixRoles
	query  string // $in is true in scope, false out of scope; the vars below are set from it
	empty  func(data map[string]any) bool
}

// matrixPassed names, per operation, an error code that still means the request was
// authorised (CONFLICT for a batch another role undid first).
var matrixPassed = map[string]string{"undoBatch": "CONFLICT"}

// oncb region moi prov pidt partner viewer admin
var matrix = map[string]matrixCase{
	// reference data: the same for everyone
	"provinces":   {"AAAAAAAA", `{ provinces { code } }`, nil},
	"province":    {"AAAAAAAA", `query($province: String!) { province(code: $province) { code } }`, nil},
	"district":    {"AAAAAAAA", `query($district: String!) { district(code: $district) { code } }`, nil},
	"subdistrict": {"AAAAAAAA", `query($subdistrict: String!) { subdistrict(code: $subdistrict) { code } }`, nil},
	"agency":      {"AAAAAAAA", `{ agency(code: "CDD") { code } }`, nil},
	"agencies":    {"AAAAAAAA", `{ agencies { totalCount } }`, nil},
	"actionPlan":  {"AAAAAAAA", `{ actionPlan(code: "NBDAP-2564") { code } }`, nil},
	"actionPlans": {"AAAAAAAA", `{ actionPlans { totalCount } }`, nil},
	"programs":    {"AAAAAAAA", `{ programs { totalCount } }`, nil},
	"me":          {"AAAAAAAA", `{ me { role } }`, nil},
	"feeds":       {"AAAAAAAA", `{ feeds { kind lastBatchAt } }`, nil},
	"conflicts":   {"AFAFFFAA", `query($district: String!) { conflicts(filter: {areaCode: $district}) { totalCount } }`, zeroAt("conflicts", "totalCount")},
	// village data: filtered by scope
	"planProgress": {"AFAFFFAA", `query($district: String!) { planProgress(fiscalYear: 2566, areaCode: $district) { villagesTargeted } }`, zeroAt("planProgress", "villagesTargeted")},
	"program":      {"AFAFFFAA", `query($program: String!) { program(code: $program) { progress { villagesTargeted } } }`, zeroAt("program", "progress", "villagesTargeted")},
	"village":      {"AFAFFFAA", `query($village: String!) { village(code: $village) { code } }`, nullAt("village")},
	"villages":     {"AFAFFFAA", `query($district: String!) { villages(filter: {areaCode: $district}) { totalCount } }`, zeroAt("villages", "totalCount")},
	"node":         {"AFAFFFAA", `query($villageID: ID!) { node(id: $villageID) { id } }`, nullAt("node")},
	"nodes":        {"AFAFFFAA", `query($villageID: ID!) { nodes(ids: [$villageID]) { id } }`, func(d map[string]any) bool { return d["nodes"].([]any)[0] == nil }},
	"villagePlan":  {"AFAFFFAA", `query($village: String!) { villagePlan(villageCode: $village, fiscalYear: 2566) { id } }`, nullAt("villagePlan")},
	"villagePlans": {"AFAFFFAA", `query($district: String!) { villagePlans(filter: {areaCode: $district, fiscalYear: 2566}) { totalCount } }`, zeroAt("villagePlans", "totalCount")},
	"budgetLines":  {"AFAFFFAA", `query($district: String!) { budgetLines(filter: {areaCode: $district, fiscalYear: 2566}) { totalCount } }`, zeroAt("budgetLines", "totalCount")},
	"budgetSummary": {"AFAFFFAA", `query($district: String!) { budgetSummary(fiscalYear: 2566, groupBy: [SOURCE], filter: {areaCode: $district}) { lineCount } }`,
		zeroAt("budgetSummary", "lineCount")},
	"meetings":    {"AFAFFFAA", `query($program: String!) { meetings(filter: {programCode: $program}) { totalCount } }`, zeroAt("meetings", "totalCount")},
	"actionItems": {"AFAFFFAA", `query($program: String!) { actionItems(filter: {programCode: $program}) { totalCount } }`, zeroAt("actionItems", "totalCount")},
	// administration
	"accessPolicy":  {"DDDDDDDA", `{ accessPolicy { roleRules { role } } }`, nil},
	"accessChanges": {"DDDDDDDA", `{ accessChanges { totalCount } }`, nil},
	// writes
	"setVillagePlan": {"DDAFDDDA", `mutation($village: String!) { setVillagePlan(input: {villageCode: $village, fiscalYear: 2566, status: IN_PROGRESS}) { created } }`, nil},
	// province: Chiang Mai only; region: its areas only
	"recordMeeting": {"AFDFDDDA", `mutation($program: String!) { recordMeeting(input: {title: "matrix", heldAt: "2022-01-10T10:00:00+07:00", format: IN_PERSON,
		programCode: $program, agencyCodes: [], agendaItems: [], actionItems: []}) { meeting { id } } }`, nil},
	"updateActionItemStatus": {"AFDFDDDA", `mutation($actionItemID: ID!) { updateActionItemStatus(input: {id: $actionItemID, status: IN_PROGRESS}) { actionItem { id } } }`, nil},
	"resolveConflict":        {"DDADDDDA", `mutation($village: String!) { resolveConflict(input: {villageCode: $village, field: "households", chosenAgencyCode: "MOI-OPS", reason: "matrix"}) { conflict { field } } }`, nil},
	"undoBatch":              {"DDADDDDA", `mutation($batchID: ID!) { undoBatch(input: {id: $batchID}) { valuesReverted } }`, nil},
	"upsertVillages":         {"DDADDDDA", `mutation($village: String!) { upsertVillages(input: {records: [{sourceId: "matrix", code: $village, nameTh: "บ้านทดสอบ"}], dryRun: true}) { rejected } }`, nil},
	// batches of records: out of scope the record is rejected for its area (and nothing written)
	"upsertVillagePlans":         {"DDAFDDDA", `mutation($village: String!) { upsertVillagePlans(input: {records: [{sourceId: "matrix", villageCode: $village, fiscalYear: 2566, status: "IN_PROGRESS"}], dryRun: true}) { rejected records { message } } }`, rejectedOutside("upsertVillagePlans")},
	"upsertPlanItems":            {"DDAFDDDA", `mutation($village: String!) { upsertPlanItems(input: {records: [{sourceId: "matrix", villageCode: $village, fiscalYear: 2566, position: 1, title: "ถนน", category: "INFRASTRUCTURE"}], dryRun: true}) { rejected records { message } } }`, rejectedOutside("upsertPlanItems")},
	"upsertBudgetLines":          {"DDDFDFDA", `mutation($village: String!) { upsertBudgetLines(input: {records: [{sourceId: "matrix", fiscalYear: 2566, villageCode: $village, itemPosition: 1, source: "AGENCY_CORE", amount: "1000", status: "REQUESTED"}], dryRun: true}) { rejected records { message } } }`, rejectedOutside("upsertBudgetLines")},
	"upsertFacilitators":         {"DDDDFDDA", `mutation($village: String!) { upsertFacilitators(input: {records: [{sourceId: "matrix", villageCode: $village, fiscalYear: 2566, role: "AD1", name: "นายทดสอบ"}], dryRun: true}) { rejected records { message } } }`, rejectedOutside("upsertFacilitators")},
	"upsertPreventionActivities": {"AFDDFDDA", `mutation($village: String!) { upsertPreventionActivities(input: {records: [{sourceId: "matrix", villageCode: $village, heldOn: "10 ม.ค. 2566", activityType: "รณรงค์", title: "รณรงค์"}], dryRun: true}) { rejected records { message } } }`, rejectedOutside("upsertPreventionActivities")},
	"auditEntries":               {"DDDDDDDA", `{ auditEntries { totalCount } }`, nil},
	"registerOperation":          {"DDDDDDDA", `mutation { registerOperation(input: {name: "matrix", query: "{ me { role } }", reason: "matrix"}) { operation { sha256 } } }`, nil},
	"registeredOperations":       {"DDDDDDDA", `{ registeredOperations { sha256 } }`, nil},
	"setActionPlan":              {"ADDDDDDA", `mutation { setActionPlan(input: {code: "NBDAP-2564", nameTh: "แผนปฏิบัติการด้านยาเสพติด", fiscalYear: 2564}) { actionPlan { code } } }`, nil},
	"setMeasure":                 {"ADDDDDDA", `mutation { setMeasure(input: {code: "NBDAP-2564-M6", actionPlanCode: "NBDAP-2564", number: 6, nameTh: "มาตรการที่ ๖"}) { measure { code } } }`, nil},
	"setProgram":                 {"AFDDDDDA", `mutation($village: String!, $newProgram: String!) { setProgram(input: {code: $newProgram, measureCode: "NBDAP-2564-M6", nameTh: "ทดสอบ", fiscalYearFrom: 2566, fiscalYearTo: 2566, targetVillageCodes: [$village], participants: [{agencyCode: "ONCB", role: LEAD}]}) { created } }`, nil},
	"setRoleRule":                {"DDDDDDDA", `mutation { setRoleRule(input: {role: VIEWER, reads: ALL, personalData: false, writes: [], reason: "matrix"}) { roleRule { version } } }`, nil},
	"grantAccess":                {"DDDDDDDA", `mutation { grantAccess(input: {agencyCode: "MFLF", areaCodes: ["58"], reason: "matrix"}) { grant { id } } }`, nil},
	"revokeAccess":               {"DDDDDDDA", `mutation($grantID: ID!) { revokeAccess(input: {id: $grantID, reason: "matrix"}) { grant { id } } }`, nil},
	// field groups
	"@personal": {"AAAAAMMA", `query($program: String!) { meetings(filter: {programCode: $program}) { nodes { chairName } } }`, nil},
}

// the in-scope and out-of-scope values of the query variables
var matrixVars = map[bool]map[string]any{
	true:  {"province": "50", "district": "5004", "subdistrict": "500401", "village": "50040103", "program": "ROIJAIRAK-EXP-2564", "newProgram": "MATRIX-IN"},
	false: {"province": "57", "district": "5701", "subdistrict": "570101", "village": "57010101", "program": "TEST-CR", "newProgram": "MATRIX-OUT"},
}

// rejectedOutside tells a batch whose record was rejected for lying outside the
// caller's areas (or, allowed, one with nothing rejected: the case's data then is
// not "empty").
func rejectedOutside(op string) func(map[string]any) bool {
	return func(d map[string]any) bool {
		recs, _ := dig(d, op, "records").([]any)
		return len(recs) == 1 && strings.Contains(fmt.Sprint(recs[0]), "outside the areas you may write")
	}
}

func nullAt(path ...string) func(map[string]any) bool {
	return func(d map[string]any) bool { return dig(d, path...) == nil }
}

func zeroAt(path ...string) func(map[string]any) bool {
	return func(d map[string]any) bool { v, _ := dig(d, path...).(float64); return v == 0 }
}

func dig(d map[string]any, path ...string) any {
	var v any = d
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// seedOutOfScope adds a Chiang Rai village outside the demo program, with a FY 2566
// plan, an item and a budget line, a program TEST-CR targeting it and a meeting about
// that program with one action item; and gives the demo meeting a dated action item.
func seedOutOfScope(t *testing.T, h *hub) {
	t.Helper()
	_, err := h.db.Pool.Exec(t.Context(), `
		INSERT INTO area (code, parent_code, moo, name_th) VALUES ('57010101', '570101', 1, 'บ้านนอกขอบเขต');
		INSERT INTO program (code, measure_code, name_th, fiscal_year_from, fiscal_year_to) VALUES ('TEST-CR', 'NBDAP-2564-M6', 'โครงการทดสอบเชียงราย', 2566, 2566);
		INSERT INTO program_village (program_code, village_code) VALUES ('TEST-CR', '57010101');
		WITH p AS (INSERT INTO village_plan (village_code, fiscal_year, status) VALUES ('57010101', 2566, 'NOT_STARTED') RETURNING id),
		     i AS (INSERT INTO plan_item (village_plan_id, position, title, category) SELECT id, 1, 'ถนน', 'INFRASTRUCTURE' FROM p RETURNING id)
		INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, plan_item_id) SELECT 2566, 1000, 'AGENCY_CORE', 'REQUESTED', 'PO-57', id FROM i;
		WITH p AS (SELECT id FROM village_plan WHERE village_code = '50040103' AND fiscal_year = 2564)
		INSERT INTO village_plan (village_code, fiscal_year, status) VALUES ('50040103', 2566, 'NOT_STARTED');
		WITH p AS (SELECT id FROM village_plan WHERE village_code = '50040103' AND fiscal_year = 2566),
		     i AS (INSERT INTO plan_item (village_plan_id, position, title, category) SELECT id, 1, 'ประปา', 'INFRASTRUCTURE' FROM p RETURNING id)
		INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, plan_item_id) SELECT 2566, 2000, 'AGENCY_CORE', 'REQUESTED', 'PO-50', id FROM i;
		WITH m AS (INSERT INTO meeting (title, held_at, chair_name, format, program_code) VALUES ('ประชุมทดสอบ', '2022-01-05 10:00+07', 'นายทดสอบ', 'IN_PERSON', 'TEST-CR') RETURNING id)
		INSERT INTO action_item (meeting_id, position, title, owner_agency_code, status) SELECT id, 1, 'ติดตาม', 'PO-57', 'OPEN' FROM m;
		INSERT INTO access_grant (agency_code, area_codes, granted_by) VALUES ('MFLF', '{58}', 'seed'), ('MFLF', '{56}', 'seed');
		INSERT INTO import_batch (agency_code, kind, channel, subject, record_count) VALUES ('MOI-OPS', 'village', 'api', 'seed', 4);
		INSERT INTO assertion (entity, entity_key, area_code, field, agency_code, value, source_id, batch_id, subject)
		SELECT 'village', v, v, 'households', a, to_jsonb(n), 's-' || v, currval('import_batch_id_seq'), 'seed'
		FROM (VALUES ('50040103', 'MOI-OPS', 100), ('50040103', 'PO-50', 110), ('57010101', 'MOI-OPS', 200), ('57010101', 'PO-57', 210)) AS x(v, a, n);
		-- assertions written here, not by the ingestion: their disagreements too
		INSERT INTO disagreement (entity, entity_key, field, area_code)
		SELECT entity, entity_key, field, min(area_code) FROM assertion GROUP BY 1, 2, 3 HAVING count(DISTINCT value) > 1;
		INSERT INTO import_batch (agency_code, kind, channel, subject, record_count) VALUES ('PO-50', 'village', 'api', 'seed', 0), ('PO-50', 'village', 'api', 'seed', 0);`)
	if err != nil {
		t.Fatal(err)
	}
}

func TestAuthorizationMatrix(t *testing.T) {
	h := newHub(t, true)
	seedOutOfScope(t, h)
	id := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	var ids struct {
		In, Out struct {
			Nodes []struct{ ActionItems []struct{ ID string } }
		}
	}
	h.query(`{ in: meetings(filter: {programCode: "ROIJAIRAK-EXP-2564"}) { nodes { actionItems { id } } }
		out: meetings(filter: {programCode: "TEST-CR"}) { nodes { actionItems { id } } } }`, nil, &ids)
	matrixVars[true]["actionItemID"] = ids.In.Nodes[0].ActionItems[0].ID
	matrixVars[false]["actionItemID"] = ids.Out.Nodes[0].ActionItems[0].ID
	matrixVars[true]["villageID"], matrixVars[false]["villageID"] = id("Village:50040103"), id("Village:57010101")
	matrixVars[true]["grantID"], matrixVars[false]["grantID"] = id("AccessGrant:1"), id("AccessGrant:2")
	// batches of PO-50 (the tokens' agency) to undo; the first writer role undoes them, the next finds them undone
	matrixVars[true]["batchID"], matrixVars[false]["batchID"] = id("ImportBatch:2"), id("ImportBatch:3")

	// Every query, mutation and field group of the schema has an entry.
	var schema struct {
		Schema struct {
			QueryType, MutationType struct{ Fields []struct{ Name string } }
			Directives              []struct{ Name string }
		} `json:"__schema"`
	}
	h.query(`{ __schema { queryType { fields { name } } mutationType { fields { name } } directives { name } } }`, nil, &schema)
	var missing []string
	for _, f := range append(schema.Schema.QueryType.Fields, schema.Schema.MutationType.Fields...) {
		if _, ok := matrix[f.Name]; !ok {
			missing = append(missing, f.Name)
		}
	}
	for _, d := range schema.Schema.Directives {
		if _, ok := matrix["@"+d.Name]; !ok && !slices.Contains([]string{"include", "skip", "deprecated", "specifiedBy", "oneOf", "defer"}, d.Name) {
			missing = append(missing, "@"+d.Name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("no entry in the authorization matrix for: %s", strings.Join(missing, ", "))
	}

	names := make([]string, 0, len(matrix))
	for name := range matrix {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := matrix[name]
		if len(c.expect) != len(matrixRoles) {
			t.Fatalf("%s: %d letters for %d roles", name, len(c.expect), len(matrixRoles))
		}
		for i, role := range matrixRoles {
			want := c.expect[i]
			tok := h.mint(auth.TokenRequest{Subject: "matrix-" + string(role), Agency: "PO-50", Roles: []auth.Role{role},
				Areas: []string{"50"}, Programs: []string{"ROIJAIRAK-EXP-2564"}})
			for _, in := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/%s/in=%v", name, role, in), func(t *testing.T) {
					r, _ := h.as(tok).do(t.Context(), c.query, used(c.query, matrixVars[in]))
					var data map[string]any
					_ = json.Unmarshal(r.Data, &data)
					denied := r.code() == "FORBIDDEN"
					switch {
					case want == 'D':
						if !denied {
							t.Errorf("want FORBIDDEN, got %s %+v", r.Data, r.Errors)
						}
					case want == 'M':
						// out of scope the objects themselves are absent, so nothing is left to mask
						nothing := !in && len(r.Errors) == 0 && !strings.Contains(string(r.Data), "chairName")
						if !nothing && (!denied || !strings.Contains(r.Errors[0].Message, "personal")) {
							t.Errorf("want masked, got %s %+v", r.Data, r.Errors)
						}
					case want == 'A' || in:
						if len(r.Errors) > 0 && (matrixPassed[name] == "" || r.code() != matrixPassed[name]) {
							t.Errorf("want allowed, got %+v", r.Errors)
						} else if c.empty != nil && c.empty(data) {
							t.Errorf("want data, got %s", r.Data)
						}
					case strings.HasPrefix(c.query, "mutation"):
						if !denied && (c.empty == nil || !c.empty(data)) {
							t.Errorf("out of scope: want FORBIDDEN, got %s %+v", r.Data, r.Errors)
						}
					default:
						if len(r.Errors) > 0 || c.empty == nil || !c.empty(data) {
							t.Errorf("out of scope: want nothing and no error, got %s %+v", r.Data, r.Errors)
						}
					}
				})
			}
		}
	}
}

// used keeps the variables a query declares.
func used(query string, vars map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range vars {
		if strings.Contains(query, "$"+k) {
			out[k] = v
		}
	}
	return out
}
