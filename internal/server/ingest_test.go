package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prasan-hub/prasan/internal/auth"
)

const upsertVillages = `mutation($in: UpsertVillagesInput!) { upsertVillages(input: $in) {
	batchId dryRun applied created updated unchanged rejected records { index sourceId status key field message } } }`

type batchPayload struct {
	UpsertVillages struct {
		BatchID                               *string
		DryRun, Applied                       bool
		Created, Updated, Unchanged, Rejected int
		Records                               []struct {
			Index          int
			SourceID       string
			Status         string
			Key            *string
			Field, Message *string
		}
	}
}

func (b batchPayload) statuses() []string {
	var s []string
	for _, r := range b.UpsertVillages.Records {
		s = append(s, r.Status)
	}
	return s
}

func moi(h *hub) *hub {
	return h.as(h.mint(auth.TokenRequest{Subject: "moi-registry", Agency: "MOI-OPS", Roles: []auth.Role{auth.RoleMOI}}))
}

// MOI sends its registry: a new village and an existing one are created and
// updated, sending the same again changes nothing, and every value is kept as MOI's
// assertion, shown by precedence.
func TestUpsertVillages(t *testing.T) {
	h := newHub(t, true)
	records := []map[string]any{
		{"sourceId": "moi-1", "code": "๕๐๐๔๐๑๐๓", "nameTh": "บ้านห้วยน้ำรินใต้", "households": 120, "population": 410},
		{"sourceId": "moi-2", "code": "50040120", "nameTh": "บ้านใหม่พัฒนา", "nameEn": "Ban Mai Phatthana"},
	}
	var got batchPayload
	moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"records": records}}, &got)
	b := got.UpsertVillages
	if !b.Applied || b.BatchID == nil || b.Created != 1 || b.Updated != 1 || !cmp.Equal(got.statuses(), []string{"UPDATED", "CREATED"}) {
		t.Fatalf("first batch: %+v", b)
	}
	var v struct {
		Village struct {
			NameTh     string
			Households int
			IsDemo     bool
			Provenance []struct {
				Field, Value, SourceID string
				Shown                  bool
				Agency                 struct{ Code string }
			}
		}
		New *struct {
			Moo    int
			NameEn string
		}
	}
	h.query(`{ village(code: "50040103") { nameTh households isDemo provenance { field value sourceId shown agency { code } } }
		new: village(code: "50040120") { moo nameEn } }`, nil, &v)
	if v.Village.NameTh != "บ้านห้วยน้ำรินใต้" || v.Village.Households != 120 || v.Village.IsDemo || v.New == nil || v.New.Moo != 20 {
		t.Errorf("after the batch: %+v", v)
	}
	if len(v.Village.Provenance) != 3 || v.Village.Provenance[0].Agency.Code != "MOI-OPS" || !v.Village.Provenance[0].Shown {
		t.Errorf("provenance = %+v", v.Village.Provenance)
	}

	t.Run("the same batch again changes nothing", func(t *testing.T) {
		before := h.text(`SELECT (SELECT count(*) FROM assertion_history) || '/' || (SELECT count(*) FROM area)`)
		var again batchPayload
		moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"records": records}}, &again)
		if !cmp.Equal(again.statuses(), []string{"UNCHANGED", "UNCHANGED"}) || again.UpsertVillages.Unchanged != 2 {
			t.Errorf("again: %+v", again.UpsertVillages)
		}
		if after := h.text(`SELECT (SELECT count(*) FROM assertion_history) || '/' || (SELECT count(*) FROM area)`); after != before {
			t.Errorf("history/areas %s → %s", before, after)
		}
	})

	t.Run("another agency's value is kept, MOI's stays shown", func(t *testing.T) {
		province := h.as(h.mint(auth.TokenRequest{Subject: "po", Agency: "PO-50", Roles: []auth.Role{auth.RoleAdmin}}))
		var b batchPayload
		province.query(upsertVillages, map[string]any{"in": map[string]any{"records": []map[string]any{
			{"sourceId": "po-77", "code": "50040103", "nameTh": "บ้านห้วยน้ำรินใต้", "households": 135}}}}, &b)
		if b.UpsertVillages.Updated != 1 {
			t.Fatalf("%+v", b.UpsertVillages)
		}
		var p struct {
			Village struct {
				Households int
				Provenance []struct {
					Field, Value string
					Shown        bool
					Agency       struct{ Code string }
				}
			}
		}
		h.query(`{ village(code: "50040103") { households provenance { field value shown agency { code } } } }`, nil, &p)
		var households []string
		for _, a := range p.Village.Provenance {
			if a.Field == "households" {
				households = append(households, fmt.Sprintf("%s=%s shown=%v", a.Agency.Code, a.Value, a.Shown))
			}
		}
		if p.Village.Households != 120 || !cmp.Equal(households, []string{"MOI-OPS=120 shown=true", "PO-50=135 shown=false"}) {
			t.Errorf("households %d, assertions %v", p.Village.Households, households)
		}
	})
}

// A partly bad batch is refused whole, naming every bad record and field; a dry run
// reports without writing.
func TestUpsertVillages_RefusedWhole(t *testing.T) {
	h := newHub(t, true)
	var first batchPayload
	moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"records": []map[string]any{
		{"sourceId": "moi-1", "code": "50040103", "nameTh": "บ้านห้วยน้ำริน"}}}}, &first)
	snapshot := func() string {
		return h.text(`SELECT (SELECT count(*) FROM area) || '/' || (SELECT count(*) FROM assertion) || '/' || (SELECT count(*) FROM import_batch) || '/' || (SELECT count(*) FROM source_record)`)
	}
	before := snapshot()
	var got batchPayload
	moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"records": []map[string]any{
		{"sourceId": "ok", "code": "50040121", "nameTh": "บ้านดี"},
		{"sourceId": "bad-code", "code": "5004012", "nameTh": "บ้านสั้น"},
		{"sourceId": "no-subdistrict", "code": "50049901", "nameTh": "บ้านไม่มีตำบล"},
		{"sourceId": "moi-1", "code": "50040108", "nameTh": "บ้านอื่น"},
		{"sourceId": "neg", "code": "50040122", "nameTh": "บ้านลบ", "households": -3},
		{"sourceId": "ok", "code": "50040123", "nameTh": "บ้านซ้ำ"},
		{"sourceId": "blank", "code": "50040124", "nameTh": "  "},
	}}}, &got)
	b := got.UpsertVillages
	want := map[int]string{1: "code", 2: "code", 3: "sourceId", 4: "households", 5: "sourceId", 6: "nameTh"}
	if b.Applied || b.BatchID != nil || b.Rejected != len(want) || b.Created != 1 {
		t.Errorf("batch: %+v", b)
	}
	for _, r := range b.Records {
		if f, bad := want[r.Index]; bad != (r.Status == "REJECTED") || (bad && (r.Field == nil || *r.Field != f || r.Message == nil)) {
			t.Errorf("record %d: %s field %v message %v; want field %q", r.Index, r.Status, deref(r.Field), deref(r.Message), f)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("a refused batch wrote something: %s → %s", before, after)
	}
	var dry batchPayload
	moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"dryRun": true, "records": []map[string]any{
		{"sourceId": "new", "code": "50040121", "nameTh": "บ้านดี"}}}}, &dry)
	if d := dry.UpsertVillages; !d.DryRun || d.Applied || d.Created != 1 || snapshot() != before {
		t.Errorf("dry run: %+v, wrote: %v", d, snapshot() != before)
	}
}

func TestUpsertVillages_Refused(t *testing.T) {
	h := newHub(t, true)
	in := map[string]any{"in": map[string]any{"records": []map[string]any{{"sourceId": "x", "code": "50040103", "nameTh": "บ้าน"}}}}
	for name, tok := range map[string]string{
		"a province":     h.mint(auth.TokenRequest{Subject: "p", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}}),
		"a viewer":       h.mint(auth.TokenRequest{Subject: "v", Roles: []auth.Role{auth.RoleViewer}}),
		"MOI, no agency": h.mint(auth.TokenRequest{Subject: "m", Roles: []auth.Role{auth.RoleMOI}}),
		"unknown agency": h.mint(auth.TokenRequest{Subject: "m", Agency: "NOPE", Roles: []auth.Role{auth.RoleMOI}}),
	} {
		if r := h.as(tok).fail(upsertVillages, in); r.code() != "FORBIDDEN" {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	many := make([]map[string]any, 5001)
	for i := range many {
		many[i] = map[string]any{"sourceId": fmt.Sprint(i), "code": "50040103", "nameTh": "บ้าน"}
	}
	if r := moi(h).fail(upsertVillages, map[string]any{"in": map[string]any{"records": many}}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("5001 records: %+v", r.Errors)
	}
}

// The history keeps every change with its batch; feeds say who sent what when, and
// whether MOI's registry is overdue against its 30-day schedule.
func TestUpsertVillages_HistoryAndFeeds(t *testing.T) {
	h := newHub(t, true)
	var feeds struct {
		Feeds []struct {
			Agency             struct{ Code string }
			Kind               string
			LastBatchAt        *string
			Batches, Records   int
			ExpectedEveryHours *int
			Overdue            bool
		}
	}
	h.query(`{ feeds { agency { code } kind lastBatchAt batches records expectedEveryHours overdue } }`, nil, &feeds)
	if len(feeds.Feeds) != 1 || !feeds.Feeds[0].Overdue || feeds.Feeds[0].LastBatchAt != nil || deref2(feeds.Feeds[0].ExpectedEveryHours) != 720 {
		t.Fatalf("before any batch: %+v", feeds.Feeds)
	}
	historyRows := func() int {
		return h.count(`SELECT count(*) FROM assertion_history WHERE entity_key = '50040103' AND field = 'households'`)
	}
	for i, hh := range []int{100, 110} {
		moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"records": []map[string]any{
			{"sourceId": "moi-1", "code": "50040103", "nameTh": "บ้านห้วยน้ำริน", "households": hh}}}}, &batchPayload{})
		// a value's arrival is read from its assertion until the value changes;
		// then the history holds both, in order
		if n := historyRows(); n != 2*i {
			t.Errorf("after batch %d: %d history rows of the households, want %d", i+1, n, 2*i)
		}
		if got := householdChanges(h); i == 0 && !cmp.Equal(got, []string{"<nil>→100"}) {
			t.Errorf("households history after the first batch %v", got)
		}
	}
	if got := householdChanges(h); !cmp.Equal(got, []string{"100→110", "<nil>→100"}) {
		t.Errorf("households history %v", got)
	}
	h.query(`{ feeds { agency { code } kind lastBatchAt batches records expectedEveryHours overdue } }`, nil, &feeds)
	f := feeds.Feeds[0]
	// The test clock is 2022-06-01; batches arrive at the real now, so the feed is fresh.
	if f.Agency.Code != "MOI-OPS" || f.Batches != 2 || f.Records != 1 || f.LastBatchAt == nil || f.Overdue {
		t.Errorf("after two batches: %+v", f)
	}
	// Pid Thong's scope does not hold this village's record: its count is 0.
	pid := h.as(h.mint(auth.TokenRequest{Subject: "p", Agency: "PIDTHONG", Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"OTHER"}}))
	pid.query(`{ feeds { agency { code } kind lastBatchAt batches records expectedEveryHours overdue } }`, nil, &feeds)
	if feeds.Feeds[0].Records != 0 {
		t.Errorf("records counted outside the caller's scope: %+v", feeds.Feeds[0])
	}
	// The Chiang Mai province office's scope holds it; Chiang Rai's does not.
	for areas, want := range map[string]int{"50": 1, "57": 0} {
		po := h.as(h.mint(auth.TokenRequest{Subject: "po", Agency: "PO-" + areas, Roles: []auth.Role{auth.RoleProvince}, Areas: []string{areas}}))
		po.query(`{ feeds { agency { code } kind lastBatchAt batches records expectedEveryHours overdue } }`, nil, &feeds)
		if feeds.Feeds[0].Records != want {
			t.Errorf("province %s counts %d records, want %d: %+v", areas, feeds.Feeds[0].Records, want, feeds.Feeds[0])
		}
	}
}

func deref2(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// Two agencies disagree on a village's households; a third resolves it for the
// province's figure, which is then shown; a new MOI value reopens the conflict and
// precedence applies again.
func TestConflicts_CreatedByTwoResolvedByAThird(t *testing.T) {
	h := newHub(t, true)
	send := func(hh *hub, source string, households int) {
		t.Helper()
		hh.query(upsertVillages, map[string]any{"in": map[string]any{"records": []map[string]any{
			{"sourceId": source, "code": "50040103", "nameTh": "บ้านห้วยน้ำริน", "households": households}}}}, &batchPayload{})
	}
	province := h.as(h.mint(auth.TokenRequest{Subject: "po", Agency: "PO-50", Roles: []auth.Role{auth.RoleAdmin}}))
	send(moi(h), "moi-1", 120)
	send(province, "po-1", 135)
	type conflicts struct {
		Conflicts struct {
			TotalCount int
			Nodes      []struct {
				VillageCode, Field string
				Sides              []struct {
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
	const q = `query($all: Boolean) { conflicts(filter: {areaCode: "50", includeResolved: $all}) { totalCount nodes { villageCode field
		sides { value shown agency { code } } resolution { reason chosenAgency { code } } } } }`
	var c conflicts
	h.query(q, nil, &c)
	if c.Conflicts.TotalCount != 1 || c.Conflicts.Nodes[0].Field != "households" || len(c.Conflicts.Nodes[0].Sides) != 2 ||
		c.Conflicts.Nodes[0].Sides[0].Agency.Code != "MOI-OPS" || !c.Conflicts.Nodes[0].Sides[0].Shown {
		t.Fatalf("open conflicts: %+v", c.Conflicts)
	}
	// the third agency, ONCB's admin, resolves it
	oncb := h.as(h.mint(auth.TokenRequest{Subject: "oncb-admin", Agency: "ONCB", Roles: []auth.Role{auth.RoleAdmin}}))
	oncb.query(`mutation { resolveConflict(input: {villageCode: "50040103", field: "households", chosenAgencyCode: "PO-50",
		reason: "the province counted after the 2021 census update"}) { conflict { field } } }`, nil, &struct{}{})
	households := func() int {
		var v struct{ Village struct{ Households int } }
		h.query(`{ village(code: "50040103") { households } }`, nil, &v)
		return v.Village.Households
	}
	if n := households(); n != 135 {
		t.Errorf("after the resolution households = %d, want the province's 135", n)
	}
	h.query(q, nil, &c)
	if c.Conflicts.TotalCount != 0 {
		t.Errorf("still open: %+v", c.Conflicts)
	}
	h.query(q, map[string]any{"all": true}, &c)
	if c.Conflicts.TotalCount != 1 || c.Conflicts.Nodes[0].Resolution == nil || c.Conflicts.Nodes[0].Resolution.ChosenAgency.Code != "PO-50" ||
		!c.Conflicts.Nodes[0].Sides[0].Shown || c.Conflicts.Nodes[0].Sides[0].Agency.Code != "PO-50" {
		t.Errorf("resolved conflict: %+v", c.Conflicts)
	}
	// MOI sends a new figure: the conflict reopens and MOI's value is shown again
	send(moi(h), "moi-1", 128)
	if n := households(); n != 128 {
		t.Errorf("after MOI's new value households = %d, want 128", n)
	}
	h.query(q, nil, &c)
	if c.Conflicts.TotalCount != 1 || c.Conflicts.Nodes[0].Resolution != nil {
		t.Errorf("reopened: %+v", c.Conflicts)
	}
	for name, in := range map[string]string{
		"a field without disagreement": `{villageCode: "50040103", field: "population", chosenAgencyCode: "MOI-OPS", reason: "test"}`,
		"an agency that is no side":    `{villageCode: "50040103", field: "households", chosenAgencyCode: "CDD", reason: "test"}`,
		"no reason":                    `{villageCode: "50040103", field: "households", chosenAgencyCode: "MOI-OPS", reason: ""}`,
		"a bad code":                   `{villageCode: "500401", field: "households", chosenAgencyCode: "MOI-OPS", reason: "test"}`,
	} {
		if r := oncb.fail(`mutation { resolveConflict(input: `+in+`) { conflict { field } } }`, nil); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
	if r := h.as(h.mint(auth.TokenRequest{Subject: "v", Roles: []auth.Role{auth.RoleViewer}})).fail(
		`mutation { resolveConflict(input: {villageCode: "50040103", field: "households", chosenAgencyCode: "PO-50", reason: "test"}) { conflict { field } } }`, nil); r.code() != "FORBIDDEN" {
		t.Errorf("viewer: %+v", r.Errors)
	}
}

// A batch is undone: its values go back, the village it created goes, a later
// batch on the same values must be undone first, and only its agency or an admin
// may undo it.
func TestUndoBatch(t *testing.T) {
	h := newHub(t, true)
	send := func(records ...map[string]any) string {
		t.Helper()
		var b batchPayload
		moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"records": records}}, &b)
		return *b.UpsertVillages.BatchID
	}
	first := send(map[string]any{"sourceId": "moi-1", "code": "50040103", "nameTh": "บ้านห้วยน้ำริน", "households": 120},
		map[string]any{"sourceId": "moi-2", "code": "50040120", "nameTh": "บ้านใหม่"})
	second := send(map[string]any{"sourceId": "moi-1", "code": "50040103", "nameTh": "บ้านห้วยน้ำริน", "households": 130})
	const undo = `mutation($id: ID!) { undoBatch(input: {id: $id}) { batchId valuesReverted villagesRemoved } }`
	if r := moi(h).fail(undo, map[string]any{"id": first}); r.code() != "CONFLICT" {
		t.Errorf("undoing the first batch before the second: %+v", r.Errors)
	}
	other := h.as(h.mint(auth.TokenRequest{Subject: "m2", Agency: "PO-50", Roles: []auth.Role{auth.RoleMOI}}))
	if r := other.fail(undo, map[string]any{"id": second}); r.code() != "FORBIDDEN" {
		t.Errorf("another agency undoing MOI's batch: %+v", r.Errors)
	}
	var u struct {
		UndoBatch struct {
			ValuesReverted  int
			VillagesRemoved []string
		}
	}
	moi(h).query(undo, map[string]any{"id": second}, &u)
	if u.UndoBatch.ValuesReverted != 1 || len(u.UndoBatch.VillagesRemoved) != 0 {
		t.Errorf("undo of the second batch: %+v", u.UndoBatch)
	}
	var v struct {
		Village struct {
			Households int
			Provenance []struct {
				Field, Value, BatchID string
			}
		}
	}
	h.query(`{ village(code: "50040103") { households provenance { field value batchId } } }`, nil, &v)
	for _, a := range v.Village.Provenance {
		if a.Field == "households" && (a.Value != "120" || a.BatchID != first) {
			t.Errorf("households assertion after the undo: %+v", a)
		}
	}
	if v.Village.Households != 120 {
		t.Errorf("households = %d after undoing the second batch, want 120", v.Village.Households)
	}
	if r := moi(h).fail(undo, map[string]any{"id": second}); r.code() != "CONFLICT" {
		t.Errorf("undoing twice: %+v", r.Errors)
	}
	moi(h).query(undo, map[string]any{"id": first}, &u)
	if !cmp.Equal(u.UndoBatch.VillagesRemoved, []string{"50040120"}) {
		t.Errorf("undo of the first batch removed %v", u.UndoBatch.VillagesRemoved)
	}
	var after struct {
		Village *struct{ Provenance []struct{ Field string } }
		New     *struct{ Code string }
	}
	h.query(`{ village(code: "50040103") { provenance { field } } new: village(code: "50040120") { code } }`, nil, &after)
	if after.New != nil || after.Village == nil || len(after.Village.Provenance) != 0 {
		t.Errorf("after undoing both: %+v", after)
	}
	// sending the first batch again applies it anew
	var again batchPayload
	moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"records": []map[string]any{
		{"sourceId": "moi-2", "code": "50040120", "nameTh": "บ้านใหม่"}}}}, &again)
	if again.UpsertVillages.Created != 1 {
		t.Errorf("resending after the undo: %+v", again.UpsertVillages)
	}
}

// Two agencies sending the same villages at the same moment lose nothing: both
// assertions are kept, every change is in the history, and MOI's value is shown
// (it comes first in the precedence) whichever batch commits last.
func TestUpsertVillages_ConcurrentAgencies(t *testing.T) {
	h := newHub(t, true)
	province := h.as(h.mint(auth.TokenRequest{Subject: "po", Agency: "PO-50", Roles: []auth.Role{auth.RoleAdmin}}))
	codes := []string{"50040103", "50040108", "50090103", "50100103", "50180103"}
	batch := func(prefix string, households int) map[string]any {
		var recs []map[string]any
		for _, c := range codes {
			recs = append(recs, map[string]any{"sourceId": prefix + c, "code": c, "nameTh": "บ้าน " + c, "households": households})
		}
		return map[string]any{"in": map[string]any{"records": recs}}
	}
	for round := 1; round <= 10; round++ {
		done := make(chan response, 2)
		for _, s := range []struct {
			hub    *hub
			prefix string
			n      int
		}{{moi(h), "moi-", 100 + round}, {province, "po-", 200 + round}} {
			go func() {
				r, _ := s.hub.do(t.Context(), upsertVillages, batch(s.prefix, s.n))
				done <- r
			}()
		}
		for range 2 {
			if r := <-done; len(r.Errors) > 0 {
				t.Fatalf("round %d: %+v", round, r.Errors)
			}
		}
		var shown []int
		for _, c := range codes {
			var v struct{ Village struct{ Households int } }
			h.query(`query($c: String!) { village(code: $c) { households } }`, map[string]any{"c": c}, &v)
			shown = append(shown, v.Village.Households)
		}
		for i, n := range shown {
			if n != 100+round {
				t.Fatalf("round %d: village %s shows %d, want MOI's %d", round, codes[i], n, 100+round)
			}
		}
	}
	if n := h.count(`SELECT count(*) FROM assertion_history WHERE field = 'households'`); n != 2*10*len(codes) {
		t.Errorf("%d household changes in the history, want %d", n, 2*10*len(codes))
	}
}

// A sender that does not know the codes names the places: the subdistrict (with the
// district and province where needed, spelled the usual ways) and the village
// number; an ambiguous or unknown place is rejected with the candidates.
func TestUpsertVillages_ByPlaceNames(t *testing.T) {
	h := newHub(t, true)
	var got batchPayload
	moi(h).query(upsertVillages, map[string]any{"in": map[string]any{"dryRun": true, "records": []map[string]any{
		{"sourceId": "a", "province": "จ.เชียงใหม่", "district": "อำเภอ เชียงดาว", "subdistrict": "ตำบลเชียงดาว", "moo": "๓", "nameTh": "บ้านห้วยน้ำริน"},
		{"sourceId": "b", "province": "เชียงราย", "district": "อ.เชียงแสน", "subdistrict": "เวียง", "moo": "หมู่ที่ 4", "nameTh": "บ้านเวียงเหนือ"},
		{"sourceId": "c", "province": "เชียงราย", "subdistrict": "เวียง", "moo": "1", "nameTh": "บ้านไหน"},
		{"sourceId": "d", "province": "เชียงใหม่", "subdistrict": "ไม่มีตำบลนี้", "moo": "1", "nameTh": "บ้านไม่มี"},
		{"sourceId": "e", "province": "เชียงใหม่", "district": "เชียงดาว", "subdistrict": "เชียงดาว", "moo": "๑๐๐", "nameTh": "บ้านเกิน"},
		{"sourceId": "f", "nameTh": "บ้านไม่บอก"},
		{"sourceId": "g", "province": "เชียงใหม่", "district": "เชียงดาว", "subdistrict": "เชียงดาว", "nameTh": "ป่า เหมือด"},
		{"sourceId": "h", "province": "เชียงใหม่", "district": "เชียงดาว", "subdistrict": "เชียงดาว", "nameTh": "บ้านไม่รู้จัก"},
	}}}, &got)
	r := got.UpsertVillages.Records
	if r[0].Status != "UPDATED" || deref(r[0].Key) != "50040103" {
		t.Errorf("record 0: %+v (want the demo village 50040103)", r[0])
	}
	if r[1].Status != "CREATED" || deref(r[1].Key) != "57080104" {
		t.Errorf("record 1: %+v", r[1])
	}
	if r[6].Status != "UPDATED" || deref(r[6].Key) != "50040108" {
		t.Errorf("record 6, matched by the village's own name: %+v", r[6])
	}
	for i, want := range map[int]string{2: "subdistrict", 3: "subdistrict", 4: "moo", 5: "code", 7: "moo"} {
		if r[i].Status != "REJECTED" || deref(r[i].Field) != want {
			t.Errorf("record %d: %+v, want rejected on %s", i, r[i], want)
		}
	}
	if m := deref(r[2].Message); !strings.Contains(m, "ambiguous") || !strings.Contains(m, "570801") {
		t.Errorf("the ambiguous place lists no candidates: %s", m)
	}
}

// householdChanges reads village 50040103's history of households, newest first,
// as old→new.
func householdChanges(h *hub) []string {
	var v struct {
		Village struct {
			History []struct {
				Field    string
				OldValue *string
				NewValue string
			}
		}
	}
	h.query(`{ village(code: "50040103") { history { field oldValue newValue } } }`, nil, &v)
	var households []string
	for _, c := range v.Village.History {
		if c.Field == "households" {
			households = append(households, deref(c.OldValue)+"→"+c.NewValue)
		}
	}
	return households
}
