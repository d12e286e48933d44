package server_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prasan-hub/prasan/internal/auth"
)

// recordBatch is what an upsert of records answers.
type recordBatch struct {
	BatchID                               *string
	DryRun, Applied                       bool
	Created, Updated, Unchanged, Rejected int
	Records                               []struct {
		Index          int
		Status         string
		Key            *string
		Field, Message *string
	}
}

func (b recordBatch) statuses() []string {
	var s []string
	for _, r := range b.Records {
		s = append(s, r.Status)
	}
	return s
}

// faults lists the rejected records as "index:field".
func (b recordBatch) faults() []string {
	var s []string
	for _, r := range b.Records {
		if r.Status == "REJECTED" {
			s = append(s, fmt.Sprintf("%d:%s", r.Index, deref(r.Field)))
		}
	}
	return s
}

// send calls the upsert mutation op (e.g. upsertVillagePlans) with records.
func send(t *testing.T, h *hub, op string, dryRun bool, records ...map[string]any) recordBatch {
	t.Helper()
	input := strings.ToUpper(op[:1]) + op[1:] + "Input"
	var got map[string]recordBatch
	h.query(`mutation($in: `+input+`!) { `+op+`(input: $in) {
		batchId dryRun applied created updated unchanged rejected records { index status key field message } } }`,
		map[string]any{"in": map[string]any{"records": records, "dryRun": dryRun}}, &got)
	return got[op]
}

func tokenOf(h *hub, subject, agency string, role auth.Role, areas ...string) *hub {
	return h.as(h.mint(auth.TokenRequest{Subject: subject, Agency: agency, Roles: []auth.Role{role}, Areas: areas}))
}

// MOI and the province report different statuses for one village plan: both are
// kept, the province's is shown (precedence), conflicts lists it with both sides,
// and an admin of a third agency resolves it for MOI, with a reason. A later change
// by a side reopens it.
func TestVillagePlans_ConflictResolvedByAThirdAgency(t *testing.T) {
	h := newHub(t, true)
	moi := tokenOf(h, "moi-plans", "MOI-OPS", auth.RoleMOI)
	province := tokenOf(h, "po-plans", "PO-50", auth.RoleProvince, "50")
	status := func() string {
		return h.text(`SELECT status || ' ' || coalesce(completed_on::text, '-') || ' ' || coalesce(participation_rate::text, '-')
			FROM village_plan WHERE village_code = '50040103' AND fiscal_year = 2564`)
	}

	b := send(t, moi, "upsertVillagePlans", false, map[string]any{"sourceId": "moi-p-1", "villageCode": "๕๐๐๔๐๑๐๓",
		"fiscalYear": "๒๕๖๔", "status": "กำลังดำเนินการ", "participationRate": "๘๐.๕"})
	if !b.Applied || !cmp.Equal(b.statuses(), []string{"UPDATED"}) || deref(b.Records[0].Key) != "50040103:2564" {
		t.Fatalf("MOI's batch: %+v", b)
	}
	if got := status(); got != "IN_PROGRESS - 80.50" {
		t.Errorf("after MOI: %s", got)
	}
	b = send(t, province, "upsertVillagePlans", false, map[string]any{"sourceId": "po-plan-7", "villageCode": "50040103",
		"fiscalYear": 2564, "status": "COMPLETED", "completedOn": "25 ม.ค. 2564"})
	if !b.Applied || b.Updated != 1 {
		t.Fatalf("province's batch: %+v", b)
	}
	if got := status(); got != "COMPLETED 2021-01-25 80.50" {
		t.Errorf("after the province (shown first for status): %s", got)
	}

	type conflicts struct {
		Conflicts struct {
			TotalCount int
			Nodes      []struct {
				Kind, Key, Field string
				VillageCode      *string
				Sides            []struct {
					Value  string
					Shown  bool
					Agency struct{ Code string }
				}
				Resolution *struct {
					Reason       string
					ChosenAgency struct{ Code string }
				}
			}
		}
	}
	const listConflicts = `query($f: ConflictFilter) { conflicts(filter: $f) { totalCount nodes { kind key field villageCode
		sides { value shown agency { code } } resolution { reason chosenAgency { code } } } } }`
	var c conflicts
	h.query(listConflicts, map[string]any{"f": map[string]any{"kind": "village_plan"}}, &c)
	if c.Conflicts.TotalCount != 1 || len(c.Conflicts.Nodes) != 1 {
		t.Fatalf("conflicts: %+v", c)
	}
	n := c.Conflicts.Nodes[0]
	sides := fmt.Sprint(n.Sides)
	if n.Key != "50040103:2564" || n.Field != "status" || deref(n.VillageCode) != "50040103" ||
		sides != `[{"COMPLETED" true {PO-50}} {"IN_PROGRESS" false {MOI-OPS}}]` {
		t.Errorf("conflict: %+v", n)
	}
	// out of the province's sight: a Chiang Rai province office sees no such conflict
	var other conflicts
	tokenOf(h, "po-57", "PO-57", auth.RoleProvince, "57").query(listConflicts, map[string]any{"f": map[string]any{"kind": "village_plan"}}, &other)
	if other.Conflicts.TotalCount != 0 {
		t.Errorf("another province sees %+v", other)
	}

	const resolve = `mutation($in: ResolveConflictInput!) { resolveConflict(input: $in) { conflict { kind key resolution { reason } } } }`
	in := map[string]any{"kind": "village_plan", "key": "50040103:2564", "field": "status", "chosenAgencyCode": "MOI-OPS", "reason": "ตรวจสอบในพื้นที่แล้ว"}
	if r := tokenOf(h, "po-57", "PO-57", auth.RoleProvince, "57").fail(resolve, map[string]any{"in": in}); r.code() != "FORBIDDEN" {
		t.Errorf("an out-of-area province resolving: %+v", r.Errors)
	}
	admin := tokenOf(h, "oncb-admin", "ONCB", auth.RoleAdmin)
	admin.query(resolve, map[string]any{"in": in}, &map[string]any{})
	if got := status(); got != "IN_PROGRESS - 80.50" {
		t.Errorf("resolved for MOI: %s", got)
	}
	h.query(listConflicts, map[string]any{"f": map[string]any{"kind": "village_plan", "includeResolved": true}}, &c)
	if r := c.Conflicts.Nodes[0].Resolution; r == nil || r.ChosenAgency.Code != "MOI-OPS" || r.Reason != "ตรวจสอบในพื้นที่แล้ว" {
		t.Errorf("resolution: %+v", c.Conflicts.Nodes[0])
	}

	again := send(t, province, "upsertVillagePlans", false, map[string]any{"sourceId": "po-plan-7", "villageCode": "50040103",
		"fiscalYear": 2564, "status": "COMPLETED", "completedOn": "2021-01-25"})
	if !cmp.Equal(again.statuses(), []string{"UNCHANGED"}) || status() != "IN_PROGRESS - 80.50" {
		t.Errorf("the same record again: %+v, plan %s", again, status())
	}
	send(t, province, "upsertVillagePlans", false, map[string]any{"sourceId": "po-plan-7", "villageCode": "50040103",
		"fiscalYear": 2564, "status": "COMPLETED", "completedOn": "2021-01-26"})
	if got := status(); got != "IN_PROGRESS - 80.50" {
		t.Errorf("a change of another field leaves the resolution of status in force: %s", got)
	}
	send(t, moi, "upsertVillagePlans", false, map[string]any{"sourceId": "moi-p-1", "villageCode": "50040103",
		"fiscalYear": 2564, "status": "NOT_STARTED", "participationRate": "80.5"})
	if got := status(); got != "COMPLETED 2021-01-26 80.50" {
		t.Errorf("a side's change of status reopens it, the province's shown again: %s", got)
	}

	var plan struct {
		Village struct {
			Plan struct {
				Provenance []struct {
					Field, Value string
					Shown        bool
					Agency       struct{ Code string }
				}
			}
		}
	}
	h.query(`{ village(code: "50040103") { plan(fiscalYear: 2564) { provenance { field value shown agency { code } } } } }`, nil, &plan)
	var got []string
	for _, a := range plan.Village.Plan.Provenance {
		got = append(got, fmt.Sprintf("%s %s=%s %v", a.Field, a.Agency.Code, a.Value, a.Shown))
	}
	want := []string{`completedOn PO-50="2021-01-26" true`, `participationRate MOI-OPS="80.50" true`,
		`status PO-50="COMPLETED" true`, `status MOI-OPS="NOT_STARTED" false`}
	if !cmp.Equal(got, want) {
		t.Errorf("plan provenance:\n got %q\nwant %q", got, want)
	}
}

// A batch with bad records is refused whole, each bad record named with its
// field; a dry run answers what would happen and writes nothing.
func TestRecords_RefusedWholeAndDryRun(t *testing.T) {
	h := newHub(t, true)
	province := tokenOf(h, "po", "PO-50", auth.RoleProvince, "50")
	snapshot := func() string {
		return h.text(`SELECT (SELECT count(*) FROM plan_item) || '/' || (SELECT count(*) FROM assertion) || '/' ||
			(SELECT count(*) FROM import_batch) || '/' || (SELECT count(*) FROM source_record)`)
	}
	before := snapshot()
	item := func(id, village string, position any, extra ...any) map[string]any {
		m := map[string]any{"sourceId": id, "villageCode": village, "fiscalYear": 2564, "position": position, "title": "ซ่อมถนน", "category": "โครงสร้างพื้นฐาน"}
		for i := 0; i < len(extra); i += 2 {
			m[extra[i].(string)] = extra[i+1]
		}
		return m
	}
	b := send(t, province, "upsertPlanItems", false,
		item("ok", "50040103", 9),
		item("no-plan", "50040103", 1, "fiscalYear", 2570),
		item("bad-category", "50040103", 2, "category", "กีฬา"),
		item("outside", "57010101", 1),
		item("ok", "50040103", 3),
		item("same-item", "50040103", 9),
		item("no-agency", "50040103", 4, "responsibleAgencyCode", "NOPE"),
		item("no-village", "50049999", 1),
	)
	want := []string{"1:fiscalYear", "2:category", "3:villageCode", "4:sourceId", "5:sourceId", "6:responsibleAgencyCode", "7:villageCode"}
	if b.Applied || b.BatchID != nil || !cmp.Equal(b.faults(), want) || b.Rejected != len(want) {
		t.Errorf("batch: applied %v, faults %v", b.Applied, b.faults())
	}
	for _, r := range b.Records {
		if r.Status == "REJECTED" && (r.Message == nil || *r.Message == "") {
			t.Errorf("record %d rejected without a message", r.Index)
		}
	}
	// each fault's message is its own check's (the checks are judged in one pass)
	for i, want := range map[int]string{1: "has no plan for fiscal year 2570", 3: "area 57010101 is outside the areas you may write",
		4: "the same sourceId as record 0", 5: "names the same object (50040103:2564:9) as record 0", 6: "no agency NOPE", 7: "no village 50049999"} {
		if msg := deref(b.Records[i].Message); !strings.Contains(msg, want) {
			t.Errorf("record %d: message %q, want %q", i, msg, want)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("a refused batch wrote: %s → %s", before, after)
	}
	dry := send(t, province, "upsertPlanItems", true, item("ok", "50040103", 9))
	if !dry.DryRun || dry.Applied || dry.Created != 1 || snapshot() != before {
		t.Errorf("dry run: %+v; wrote: %v", dry, snapshot() != before)
	}
	done := send(t, province, "upsertPlanItems", false, item("ok", "50040103", 9))
	if !done.Applied || done.Created != 1 || h.text(`SELECT title || '/' || category FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id
		WHERE vp.village_code = '50040103' AND vp.fiscal_year = 2564 AND pi.position = 9`) != "ซ่อมถนน/INFRASTRUCTURE" {
		t.Errorf("applied: %+v", done)
	}
}

// A partner sends only its own agency's budget lines; the province reports a
// different amount for the same line, which is kept and disagrees.
func TestBudgetLines_PartnerOwnLines(t *testing.T) {
	h := newHub(t, true)
	item := h.text(`SELECT vp.village_code || ':' || pi.position FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id
		WHERE vp.fiscal_year = 2564 AND vp.village_code LIKE '50%' ORDER BY 1 LIMIT 1`)
	village, pos, _ := strings.Cut(item, ":")
	position, _ := strconv.Atoi(pos)
	partner := tokenOf(h, "mflf-finance", "MFLF", auth.RolePartner)
	line := func(id string, extra ...any) map[string]any {
		m := map[string]any{"sourceId": id, "fiscalYear": "2564", "villageCode": village, "itemPosition": position,
			"source": "งบปกติ", "amount": "๑๒,๕๐๐.๐๐", "status": "อนุมัติ"}
		for i := 0; i < len(extra); i += 2 {
			m[extra[i].(string)] = extra[i+1]
		}
		return m
	}
	// the partner's grants: Chiang Mai, so that its lines there are in its scope
	h.query(`mutation { grantAccess(input: {agencyCode: "MFLF", areaCodes: ["50"], reason: "budget test"}) { grant { id } } }`, nil, &map[string]any{})
	b := send(t, partner, "upsertBudgetLines", false, line("l-1", "agencyCode", "PO-50"))
	if !cmp.Equal(b.faults(), []string{"0:agencyCode"}) {
		t.Errorf("a partner sending another agency's line: %+v", b)
	}
	b = send(t, partner, "upsertBudgetLines", false, line("l-1"))
	key := fmt.Sprintf("item:2564:MFLF:AGENCY_CORE:%s:%d", village, position)
	if !b.Applied || b.Created != 1 || deref(b.Records[0].Key) != key {
		t.Fatalf("the partner's own line: %+v", b)
	}
	if got := h.text(`SELECT amount || ' ' || status || ' ' || area_code FROM budget_line WHERE ingest_key = $1`, key); got != "12500.00 APPROVED "+village {
		t.Errorf("line: %s", got)
	}
	province := tokenOf(h, "po", "PO-50", auth.RoleProvince, "50")
	b = send(t, province, "upsertBudgetLines", false, line("po-line-3", "agencyCode", "MFLF", "amount", 12000))
	if !b.Applied || b.Updated != 1 {
		t.Fatalf("the province's report of MFLF's line: %+v", b)
	}
	if got := h.text(`SELECT amount::text FROM budget_line WHERE ingest_key = $1`, key); got != "12000.00" {
		t.Errorf("shown amount (the province's first): %s", got)
	}
	if n := h.count(`SELECT count(*) FROM budget_line WHERE ingest_key = $1`, key); n != 1 {
		t.Errorf("%d lines for one key", n)
	}
	var c struct {
		Conflicts struct{ Nodes []struct{ Field string } }
	}
	h.query(`{ conflicts(filter: {kind: "budget_line"}) { nodes { field } } }`, nil, &c)
	if len(c.Conflicts.Nodes) != 1 || c.Conflicts.Nodes[0].Field != "amount" {
		t.Errorf("conflicts: %+v", c)
	}
}

// Pid Thong assigns facilitators; their names are personal data, masked for a
// viewer. ONCB reports prevention activities, listed on the village.
func TestFacilitatorsAndActivities(t *testing.T) {
	h := newHub(t, true)
	pidthong := h.as(h.mint(auth.TokenRequest{Subject: "pt", Agency: "PIDTHONG", Roles: []auth.Role{auth.RolePidThong},
		Programs: []string{"ROIJAIRAK-EXP-2564"}}))
	b := send(t, pidthong, "upsertFacilitators", false, map[string]any{"sourceId": "pt-f-1", "villageCode": "50040103",
		"fiscalYear": 2564, "role": "AD2", "name": "นางสาวใจดี มีสุข", "phone": "๐๘๑-๒๓๔-๕๖๗๘"})
	if !b.Applied || b.Created != 1 {
		t.Fatalf("facilitators: %+v", b)
	}
	if got := h.text(`SELECT name || ' ' || phone || ' ' || agency_code FROM facilitator WHERE ingest_key = '50040103:2564:AD2'`); got != "นางสาวใจดี มีสุข 081-234-5678 PIDTHONG" {
		t.Errorf("facilitator: %s", got)
	}
	const facilitators = `{ village(code: "50040103") { plan(fiscalYear: 2564) { facilitators { role name } } } }`
	viewer := tokenOf(h, "v", "", auth.RoleViewer)
	r, _ := viewer.do(t.Context(), facilitators, nil)
	if r.code() != "FORBIDDEN" || strings.Contains(string(r.Data), "ใจดี") {
		t.Errorf("a viewer sees facilitators' names: %s %+v", r.Data, r.Errors)
	}

	// provenance does not carry personal data past the mask either
	const provenance = `{ village(code: "50040103") { plan(fiscalYear: 2564) { facilitators { provenance { field value agency { code } } } history { field } } } }`
	r, _ = viewer.do(t.Context(), provenance, nil)
	if r.code() != "FORBIDDEN" || strings.Contains(string(r.Data), "ใจดี") || strings.Contains(string(r.Data), "081") {
		t.Errorf("a viewer reads names through provenance: %s %+v", r.Data, r.Errors)
	}
	var seen struct {
		Village struct {
			Plan struct {
				Facilitators []struct {
					Provenance []struct{ Field, Value string }
				}
			}
		}
	}
	pidthong.query(provenance, nil, &seen)
	var values []string
	for _, f := range seen.Village.Plan.Facilitators {
		for _, a := range f.Provenance {
			values = append(values, a.Field+"="+a.Value)
		}
	}
	if !cmp.Equal(values, []string{`agencyCode="PIDTHONG"`, `name="นางสาวใจดี มีสุข"`, `phone="081-234-5678"`}) {
		t.Errorf("Pid Thong's facilitator provenance: %v", values)
	}

	oncb := tokenOf(h, "oncb-ops", "ONCB", auth.RoleONCB)
	b = send(t, oncb, "upsertPreventionActivities", false,
		map[string]any{"sourceId": "act-1", "villageCode": "50040103", "heldOn": "๑๐ ก.พ. ๒๕๖๔", "activityType": "คัดกรอง",
			"title": "คัดกรองผู้เสพในชุมชน", "participants": 120, "programCode": "ROIJAIRAK-EXP-2564"},
		map[string]any{"sourceId": "act-2", "villageCode": "50040103", "heldOn": "2021-03-01", "activityType": "YOUTH", "title": "ค่ายเยาวชน"})
	if !b.Applied || b.Created != 2 {
		t.Fatalf("activities: %+v", b)
	}
	var v struct {
		Village struct {
			PreventionActivities []struct {
				SourceID, HeldOn, ActivityType, Title string
				Participants                          *int
				Agency                                struct{ Code string }
				Program                               *struct{ Code string }
			}
		}
	}
	h.query(`{ village(code: "50040103") { preventionActivities { sourceId heldOn activityType title participants agency { code } program { code } } } }`, nil, &v)
	acts := v.Village.PreventionActivities
	if len(acts) != 2 || acts[0].SourceID != "act-2" || acts[1].HeldOn != "2021-02-10" || acts[1].ActivityType != "SCREENING" ||
		acts[1].Participants == nil || *acts[1].Participants != 120 || acts[1].Program == nil || acts[1].Agency.Code != "ONCB" {
		t.Errorf("activities: %+v", acts)
	}
	// a province office elsewhere does not see them
	var other struct {
		Village *struct{ PreventionActivities []struct{ Title string } }
	}
	tokenOf(h, "po-57", "PO-57", auth.RoleProvince, "57").query(`{ village(code: "50040103") { preventionActivities { title } } }`, nil, &other)
	if other.Village != nil {
		t.Errorf("out of scope: %+v", other)
	}
}

// Undoing a batch of plans takes back the values it brought (the plan's old
// status returns) and removes the plan it created; a batch another agency's later
// batch built on must wait.
func TestRecords_UndoBatch(t *testing.T) {
	h := newHub(t, true)
	province := tokenOf(h, "po", "PO-50", auth.RoleProvince, "50")
	before := h.text(`SELECT status FROM village_plan WHERE village_code = '50040108' AND fiscal_year = 2564`)
	b := send(t, province, "upsertVillagePlans", false,
		map[string]any{"sourceId": "p-old", "villageCode": "50040108", "fiscalYear": 2564, "status": "COMPLETED", "completedOn": "2021-03-01"},
		map[string]any{"sourceId": "p-new", "villageCode": "50040108", "fiscalYear": 2566, "status": "IN_PROGRESS"})
	if !cmp.Equal(b.statuses(), []string{"UPDATED", "CREATED"}) {
		t.Fatalf("batch: %+v", b)
	}
	items := send(t, province, "upsertPlanItems", false,
		map[string]any{"sourceId": "i-1", "villageCode": "50040108", "fiscalYear": 2566, "position": 1, "title": "ถนน", "category": "INFRASTRUCTURE"})
	const undo = `mutation($id: ID!) { undoBatch(input: {id: $id}) { kind valuesReverted removed } }`
	var u struct {
		UndoBatch struct {
			Kind           string
			ValuesReverted int
			Removed        []string
		}
	}
	// the plan of 2566 now has an item of another batch: undoing the plans keeps it
	province.query(undo, map[string]any{"id": *b.BatchID}, &u)
	if u.UndoBatch.Kind != "village_plan" || u.UndoBatch.ValuesReverted != 3 || len(u.UndoBatch.Removed) != 0 {
		t.Errorf("undo of the plans: %+v", u.UndoBatch)
	}
	if got := h.text(`SELECT status || ' ' || coalesce(completed_on::text, '-') FROM village_plan WHERE village_code = '50040108' AND fiscal_year = 2564`); got != before+" -" {
		t.Errorf("the 2564 plan after undo: %s, want %s -", got, before)
	}
	if r := province.fail(undo, map[string]any{"id": *b.BatchID}); r.code() != "CONFLICT" {
		t.Errorf("undoing twice: %+v", r.Errors)
	}
	if r := tokenOf(h, "po57", "PO-57", auth.RoleProvince, "57").fail(undo, map[string]any{"id": *items.BatchID}); r.code() != "FORBIDDEN" {
		t.Errorf("another agency undoing: %+v", r.Errors)
	}
	province.query(undo, map[string]any{"id": *items.BatchID}, &u)
	if !cmp.Equal(u.UndoBatch.Removed, []string{"50040108:2566:1"}) {
		t.Errorf("undo of the items removed %v", u.UndoBatch.Removed)
	}
	// sending the plans again brings them back: their sourceIds were forgotten
	again := send(t, province, "upsertVillagePlans", false,
		map[string]any{"sourceId": "p-new", "villageCode": "50040108", "fiscalYear": 2566, "status": "IN_PROGRESS"})
	if !cmp.Equal(again.statuses(), []string{"UPDATED"}) {
		t.Errorf("the plan again: %+v", again)
	}
}

// Plans and budgets read as of a past instant show what they were then, items and
// budget lines included, whichever way they changed since.
func TestAsOf(t *testing.T) {
	h := newHub(t, true)
	instant := func() string {
		return h.text(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`)
	}
	before := instant()
	province := tokenOf(h, "po", "PO-50", auth.RoleProvince, "50")
	send(t, province, "upsertVillagePlans", false, map[string]any{"sourceId": "p", "villageCode": "50040108", "fiscalYear": 2564, "status": "IN_PROGRESS"})
	send(t, province, "upsertPlanItems", false, map[string]any{"sourceId": "i", "villageCode": "50040108", "fiscalYear": 2564, "position": 1, "title": "ถนน", "category": "INFRASTRUCTURE"})
	send(t, province, "upsertBudgetLines", false, map[string]any{"sourceId": "b", "fiscalYear": 2564, "villageCode": "50040108", "itemPosition": 1,
		"source": "PROVINCIAL", "amount": "1000", "status": "REQUESTED"})
	middle := instant()
	send(t, province, "upsertBudgetLines", false, map[string]any{"sourceId": "b", "fiscalYear": 2564, "villageCode": "50040108", "itemPosition": 1,
		"source": "PROVINCIAL", "amount": "2500", "status": "APPROVED"})
	h.query(`mutation { setVillagePlan(input: {villageCode: "50040108", fiscalYear: 2564, status: COMPLETED, completedOn: "2021-05-01"}) { villagePlan { status } } }`, nil, &map[string]any{})

	type planAt struct {
		VillagePlan *struct {
			Status      string
			BudgetTotal string
			Items       []struct {
				Title       string
				BudgetLines []struct{ Amount, Status string }
			}
		}
	}
	const q = `query($at: DateTime) { villagePlan(villageCode: "50040108", fiscalYear: 2564, asOf: $at) {
		status budgetTotal items { title budgetLines { amount status } } } }`
	var then, mid, now planAt
	h.query(q, map[string]any{"at": before}, &then)
	h.query(q, map[string]any{"at": middle}, &mid)
	h.query(q, map[string]any{"at": nil}, &now)
	if then.VillagePlan == nil || then.VillagePlan.Status != "NOT_STARTED" || len(then.VillagePlan.Items) != 0 || then.VillagePlan.BudgetTotal != "0.00" {
		t.Errorf("before: %+v", then.VillagePlan)
	}
	if p := mid.VillagePlan; p == nil || p.Status != "IN_PROGRESS" || len(p.Items) != 1 || p.BudgetTotal != "1000.00" ||
		fmt.Sprint(p.Items[0].BudgetLines) != "[{1000.00 REQUESTED}]" {
		t.Errorf("middle: %+v", mid.VillagePlan)
	}
	if p := now.VillagePlan; p == nil || p.Status != "COMPLETED" || p.BudgetTotal != "2500.00" || fmt.Sprint(p.Items[0].BudgetLines) != "[{2500.00 APPROVED}]" {
		t.Errorf("now: %+v", now.VillagePlan)
	}

	// a line deleted since is read, as of the middle, from its last version
	if n := h.text(`WITH d AS (DELETE FROM budget_line WHERE area_code = '50040108' AND fiscal_year = 2564 AND source = 'PROVINCIAL' RETURNING 1)
		SELECT count(*)::text FROM d`); n != "1" {
		t.Fatalf("deleted %s lines", n)
	}
	h.query(q, map[string]any{"at": middle}, &mid)
	h.query(q, map[string]any{"at": nil}, &now)
	if p := mid.VillagePlan; p == nil || fmt.Sprint(p.Items[0].BudgetLines) != "[{1000.00 REQUESTED}]" {
		t.Errorf("middle, after the line's delete: %+v", mid.VillagePlan)
	}
	if p := now.VillagePlan; p == nil || len(p.Items[0].BudgetLines) != 0 || p.BudgetTotal != "0.00" {
		t.Errorf("now, after the line's delete: %+v", now.VillagePlan)
	}

	var lines struct {
		BudgetLines struct {
			TotalCount  int
			TotalAmount string
		}
		BudgetSummary struct{ Rows []struct{ Amount string } }
	}
	h.query(`query($at: DateTime) { budgetLines(filter: {asOf: $at, areaCode: "50040108", source: PROVINCIAL}) { totalCount totalAmount }
		budgetSummary(fiscalYear: 2564, groupBy: [SOURCE], filter: {asOf: $at, areaCode: "50040108"}) { rows { amount } } }`, map[string]any{"at": middle}, &lines)
	if lines.BudgetLines.TotalCount != 1 || lines.BudgetLines.TotalAmount != "1000.00" || len(lines.BudgetSummary.Rows) != 1 || lines.BudgetSummary.Rows[0].Amount != "1000.00" {
		t.Errorf("budget as of the middle: %+v", lines)
	}
	var plans struct {
		VillagePlans struct{ Nodes []struct{ Status string } }
	}
	h.query(`query($at: DateTime) { villagePlans(filter: {asOf: $at, areaCode: "50040108"}) { nodes { status } } }`, map[string]any{"at": before}, &plans)
	if fmt.Sprint(plans.VillagePlans.Nodes) != "[{NOT_STARTED}]" {
		t.Errorf("plans as of before: %+v", plans)
	}
	// out of scope stays out of scope in the past
	var other planAt
	tokenOf(h, "po57", "PO-57", auth.RoleProvince, "57").query(q, map[string]any{"at": middle}, &other)
	if other.VillagePlan != nil {
		t.Errorf("another province reads the past: %+v", other)
	}
}

// planProgress counts every village in the caller's scope, by province and
// district; villages without a plan are not started.
func TestPlanProgress(t *testing.T) {
	h := newHub(t, true)
	type progress struct {
		PlanProgress struct {
			VillagesTargeted, PlansCompleted, PlansNotStarted int
			ByProvince                                        []struct {
				Area             struct{ Code string }
				VillagesTargeted int
			}
			ByDistrict []struct{ VillagesTargeted int }
		}
	}
	const q = `query($area: String) { planProgress(fiscalYear: 2564, areaCode: $area) { villagesTargeted plansCompleted plansNotStarted
		byProvince { area { code } villagesTargeted } byDistrict(areaCode: "5004") { villagesTargeted } } }`
	var all progress
	h.query(q, nil, &all)
	p := all.PlanProgress
	if p.VillagesTargeted != 47 || p.PlansCompleted != 13 || p.PlansNotStarted != 34 || len(p.ByProvince) != 4 || len(p.ByDistrict) != 1 {
		t.Errorf("admin: %+v", p)
	}
	var province progress
	tokenOf(h, "po", "PO-50", auth.RoleProvince, "50").query(q, nil, &province)
	if pp := province.PlanProgress; len(pp.ByProvince) != 1 || pp.ByProvince[0].Area.Code != "50" || pp.VillagesTargeted != pp.ByProvince[0].VillagesTargeted {
		t.Errorf("a province office: %+v", pp)
	}
	var within progress
	h.query(q, map[string]any{"area": "57"}, &within)
	if w := within.PlanProgress; len(w.ByProvince) != 1 || w.ByProvince[0].Area.Code != "57" || len(w.ByDistrict) != 0 {
		t.Errorf("inside Chiang Rai: %+v", w)
	}
	if r := h.fail(q, map[string]any{"area": "5x"}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("a bad area: %+v", r.Errors)
	}
}

// ONCB writes its action plans, measures and programs; a regional office only
// programs inside its areas; a bad program writes nothing.
func TestProgramWrites(t *testing.T) {
	h := newHub(t, true)
	oncb := tokenOf(h, "oncb", "ONCB", auth.RoleONCB)
	oncb.query(`mutation { setActionPlan(input: {code: "nbdap-2566", nameTh: "แผนปฏิบัติการ ๒๕๖๖", fiscalYear: "๒๕๖๖"}) { actionPlan { code fiscalYear } } }`, nil, &map[string]any{})
	oncb.query(`mutation { setMeasure(input: {code: "NBDAP-2566-M1", actionPlanCode: "NBDAP-2566", number: 1, nameTh: "มาตรการที่ ๑"}) { measure { code } } }`, nil, &map[string]any{})
	const set = `mutation($in: SetProgramInput!) { setProgram(input: $in) { created program { code targetVillages { totalCount } participants { agency { code } role } } } }`
	in := map[string]any{"code": "SAFE-VILLAGE-2566", "measureCode": "NBDAP-2566-M1", "nameTh": "หมู่บ้านปลอดภัย", "fiscalYearFrom": 2566, "fiscalYearTo": 2567,
		"targetVillageCodes": []string{"๕๐๐๔๐๑๐๓", "50040108"}, "participants": []map[string]any{{"agencyCode": "ONCB", "role": "LEAD"}, {"agencyCode": "PIDTHONG", "role": "PARTNER"}}}
	var got struct {
		SetProgram struct {
			Created bool
			Program struct {
				Code           string
				TargetVillages struct{ TotalCount int }
				Participants   []struct {
					Agency struct{ Code string }
					Role   string
				}
			}
		}
	}
	oncb.query(set, map[string]any{"in": in}, &got)
	if p := got.SetProgram; !p.Created || p.Program.TargetVillages.TotalCount != 2 || len(p.Program.Participants) != 2 {
		t.Errorf("program: %+v", p)
	}
	region := h.as(h.mint(auth.TokenRequest{Subject: "r5", Agency: "ONCB-R5", Roles: []auth.Role{auth.RoleONCBRegion}, Areas: []string{"50"}}))
	if r := region.fail(`mutation { setActionPlan(input: {code: "X-1", nameTh: "x", fiscalYear: 2566}) { actionPlan { code } } }`, nil); r.code() != "FORBIDDEN" {
		t.Errorf("a region writing an action plan: %+v", r.Errors)
	}
	in["targetVillageCodes"] = []string{"50040103", "57030105"}
	if r := region.fail(set, map[string]any{"in": in}); r.code() != "FORBIDDEN" {
		t.Errorf("a region targeting another province: %+v", r.Errors)
	}
	in["targetVillageCodes"] = []string{"50040103"}
	region.query(set, map[string]any{"in": in}, &got)
	if got.SetProgram.Created || got.SetProgram.Program.TargetVillages.TotalCount != 1 {
		t.Errorf("a region narrowing its program: %+v", got.SetProgram)
	}
	before := h.text(`SELECT count(*) || '/' || (SELECT count(*) FROM program_village) FROM program`)
	bad := map[string]any{"code": "BROKEN-2566", "measureCode": "NBDAP-2566-M1", "nameTh": "พัง", "fiscalYearFrom": 2566, "fiscalYearTo": 2566,
		"targetVillageCodes": []string{"50040103"}, "participants": []map[string]any{{"agencyCode": "NOPE", "role": "LEAD"}}}
	if r := oncb.fail(set, map[string]any{"in": bad}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("an unknown agency: %+v", r.Errors)
	}
	bad["participants"], bad["fiscalYearTo"] = []map[string]any{}, 2565
	if r := oncb.fail(set, map[string]any{"in": bad}); r.code() != "BAD_USER_INPUT" || r.field() != "input.fiscalYearTo" {
		t.Errorf("years reversed: %+v", r.Errors)
	}
	if after := h.text(`SELECT count(*) || '/' || (SELECT count(*) FROM program_village) FROM program`); after != before {
		t.Errorf("a refused program wrote: %s → %s", before, after)
	}
}

// A batch of records that PostgreSQL stops to break a deadlock with another
// transaction is run again from its records: the caller gets its answer, and the
// records are written once.
func TestRecords_RunAgainAfterADeadlock(t *testing.T) {
	h := newHub(t, true)
	province := tokenOf(h, "po", "PO-50", auth.RoleProvince, "50")
	ctx := t.Context()
	deadlocks := func() string {
		return h.text(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`)
	}
	before := deadlocks()

	// another transaction holds the agency row the item names, as a write to the
	// agency would; it waits long before it looks for deadlocks itself
	blocker, err := h.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = blocker.Rollback(ctx) }()
	if _, err := blocker.Exec(ctx, `SET LOCAL deadlock_timeout = '60s'; SELECT 1 FROM agency WHERE code = 'CDD' FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	item := map[string]any{"sourceId": "deadlock-1", "villageCode": "50040103", "fiscalYear": 2564, "position": 9,
		"title": "ซ่อมฝาย", "category": "โครงสร้างพื้นฐาน", "responsibleAgencyCode": "CDD"}
	answered := make(chan response, 1)
	go func() {
		r, _ := province.do(ctx, `mutation($in: UpsertPlanItemsInput!) { upsertPlanItems(input: $in) { applied created } }`,
			map[string]any{"in": map[string]any{"records": []any{item}}})
		answered <- r
	}()
	// the batch holds its kind's lock and waits for the agency row …
	for deadline := time.Now().Add(10 * time.Second); h.text(`SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%plan_item%'`) == "0"; {
		if time.Now().After(deadline) {
			t.Fatal("the batch never waited for the agency row")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// … and the other transaction asks for that kind's lock: a deadlock, which the
	// batch's side finds first and is stopped for
	if _, err := blocker.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('prasan.ingest.plan_item'))`); err != nil {
		t.Fatal(err)
	}
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-answered
	if len(r.Errors) > 0 {
		t.Fatalf("the batch failed: %+v", r.Errors)
	}
	if !strings.Contains(string(r.Data), `"applied":true,"created":1`) {
		t.Errorf("the batch answered %s", r.Data)
	}
	// (a backend reports its statistics within seconds, not at once)
	for deadline := time.Now().Add(15 * time.Second); deadlocks() == before; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no deadlock happened (%s deadlocks before and after): the test did not test", before)
		}
	}
	if n := h.text(`SELECT count(*) FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id
		WHERE vp.village_code = '50040103' AND vp.fiscal_year = 2564 AND pi.title = 'ซ่อมฝาย'`); n != "1" {
		t.Errorf("%s items written", n)
	}
}

// A budget line names an agency, a village's plan item or a program and area the
// hub knows; each unknown one is its record's fault, with its own message, and
// nothing of the batch is written.
func TestUpsertBudgetLines_RejectsWithFieldAndMessage(t *testing.T) {
	h := newHub(t, true)
	province := tokenOf(h, "po", "PO-50", auth.RoleProvince, "50")
	line := func(id string, extra ...any) map[string]any {
		m := map[string]any{"sourceId": id, "fiscalYear": 2564, "villageCode": "50040103", "itemPosition": 1,
			"source": "PROVINCIAL", "amount": "1000", "status": "REQUESTED"}
		for i := 0; i < len(extra); i += 2 {
			if extra[i+1] == nil {
				delete(m, extra[i].(string))
			} else {
				m[extra[i].(string)] = extra[i+1]
			}
		}
		return m
	}
	program := func(id, programCode, areaCode string) map[string]any {
		return line(id, "villageCode", nil, "itemPosition", nil, "programCode", programCode, "areaCode", areaCode)
	}
	before := h.count(`SELECT count(*) FROM budget_line`)
	b := send(t, province, "upsertBudgetLines", false,
		line("ok"),
		line("no-agency", "agencyCode", "NOPE"),
		line("no-item", "itemPosition", 99),
		line("no-village", "villageCode", "50049999"),
		program("no-program", "NOPE-P", "5004"),
		program("no-area", "ROIJAIRAK-EXP-2564", "5099"),
	)
	want := []string{"1:agencyCode", "2:itemPosition", "3:villageCode", "4:programCode", "5:areaCode"}
	if b.Applied || !cmp.Equal(b.faults(), want) {
		t.Errorf("batch: applied %v, faults %v, want %v", b.Applied, b.faults(), want)
	}
	for i, want := range map[int]string{1: "no agency NOPE", 2: "has no item 99", 3: "no village 50049999", 4: "no program NOPE-P", 5: "no area 5099"} {
		if msg := deref(b.Records[i].Message); !strings.Contains(msg, want) {
			t.Errorf("record %d: message %q, want %q", i, msg, want)
		}
	}
	if after := h.count(`SELECT count(*) FROM budget_line`); after != before {
		t.Errorf("a refused batch wrote lines: %d → %d", before, after)
	}
}
