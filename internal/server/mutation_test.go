package server_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const setPlan = `mutation($in: SetVillagePlanInput!) { setVillagePlan(input: $in) { created villagePlan {
	fiscalYear status scheduledStart scheduledEnd completedOn participationRate meetsParticipationTarget } } }`

type planPayload struct {
	SetVillagePlan struct {
		Created     bool
		VillagePlan struct {
			FiscalYear               int
			Status                   string
			ScheduledStart           *string
			ScheduledEnd             *string
			CompletedOn              *string
			ParticipationRate        *float64
			MeetsParticipationTarget *bool
		}
	}
}

func TestSetVillagePlan(t *testing.T) {
	h := newHub(t, true)
	// A demo village whose FY 2564 plan is not started.
	const village = "50040108"

	t.Run("completes a plan, typed the Thai way", func(t *testing.T) {
		var got planPayload
		h.query(setPlan, map[string]any{"in": map[string]any{"villageCode": "๕๐๐๔๐๑๐๘", "fiscalYear": "๒๕๖๔",
			"status": "COMPLETED", "completedOn": "15 มี.ค. 2564", "participationRate": 81.5}}, &got)
		p := got.SetVillagePlan.VillagePlan
		if got.SetVillagePlan.Created || p.Status != "COMPLETED" || deref(p.CompletedOn) != "2021-03-15" ||
			p.ParticipationRate == nil || *p.ParticipationRate != 81.5 || p.MeetsParticipationTarget == nil || !*p.MeetsParticipationTarget {
			t.Errorf("got %+v", got.SetVillagePlan)
		}
		// fields left out keep their value
		if deref(p.ScheduledStart) != "2021-01-25" || deref(p.ScheduledEnd) != "2021-03-31" {
			t.Errorf("schedule changed: %v–%v", deref(p.ScheduledStart), deref(p.ScheduledEnd))
		}
		var progress struct {
			Program struct {
				Progress struct{ PlansCompleted, PlansNotStarted int }
			}
		}
		h.query(`{ program(code: "ROIJAIRAK-EXP-2564") { progress { plansCompleted plansNotStarted } } }`, nil, &progress)
		if pr := progress.Program.Progress; pr.PlansCompleted != 14 || pr.PlansNotStarted != 33 {
			t.Errorf("progress after completing one plan = %+v, want 14 completed, 33 not started", pr)
		}
	})

	t.Run("reopening clears the completion date; explicit null clears a field", func(t *testing.T) {
		var got planPayload
		h.query(setPlan, map[string]any{"in": map[string]any{"villageCode": village, "fiscalYear": 2564,
			"status": "IN_PROGRESS", "participationRate": nil}}, &got)
		p := got.SetVillagePlan.VillagePlan
		if p.Status != "IN_PROGRESS" || p.CompletedOn != nil || p.ParticipationRate != nil || p.MeetsParticipationTarget != nil {
			t.Errorf("got %+v", p)
		}
	})

	t.Run("creates a plan for a new fiscal year", func(t *testing.T) {
		var got planPayload
		h.query(setPlan, map[string]any{"in": map[string]any{"villageCode": village, "fiscalYear": 2565,
			"status": "NOT_STARTED", "scheduledStart": "2021-10-01", "scheduledEnd": "๓๐ ธันวาคม ๒๕๖๔"}}, &got)
		p := got.SetVillagePlan.VillagePlan
		if !got.SetVillagePlan.Created || p.FiscalYear != 2565 || deref(p.ScheduledEnd) != "2021-12-30" {
			t.Errorf("got %+v", got.SetVillagePlan)
		}
	})

	for name, tt := range map[string]struct {
		in    map[string]any
		field string
	}{
		"rate above 100":               {map[string]any{"participationRate": 120}, "input.participationRate"},
		"rate below 0":                 {map[string]any{"participationRate": -1}, "input.participationRate"},
		"rate with three decimals":     {map[string]any{"participationRate": 75.125}, "input.participationRate"},
		"completion without COMPLETED": {map[string]any{"status": "IN_PROGRESS", "completedOn": "2021-03-01"}, "input.completedOn"},
		"completion in the future":     {map[string]any{"status": "COMPLETED", "completedOn": "2030-01-01"}, "input.completedOn"},
		"end before start":             {map[string]any{"scheduledStart": "2021-03-01", "scheduledEnd": "2021-02-01"}, "input.scheduledEnd"},
		"start after existing end":     {map[string]any{"scheduledStart": "2021-12-01"}, "input.scheduledStart"},
		"status cleared":               {map[string]any{"status": nil}, "input.status"},
		"unknown village":              {map[string]any{"villageCode": "50040199"}, "input.villageCode"},
		"subdistrict, not village":     {map[string]any{"villageCode": "500401"}, "input.villageCode"},
		"Common-Era year":              {map[string]any{"fiscalYear": 2021}, "input.fiscalYear"},
		"bad date":                     {map[string]any{"scheduledStart": "2021-02-30"}, "input.scheduledStart"},
		"no status for a new plan":     {map[string]any{"fiscalYear": 2570, "participationRate": 80}, "input.status"},
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			snapshot := func() string {
				return h.text(`SELECT count(*) || ':' || (SELECT string_agg(vp::text, ';' ORDER BY id) FROM village_plan vp WHERE village_code = $1) FROM village_plan`, village)
			}
			before := snapshot()
			in := map[string]any{"villageCode": village, "fiscalYear": 2564}
			for k, v := range tt.in {
				in[k] = v
			}
			r := h.fail(setPlan, map[string]any{"in": in})
			if r.code() != "BAD_USER_INPUT" || r.field() != tt.field {
				t.Errorf("got %q %q, want BAD_USER_INPUT %q: %v", r.code(), r.field(), tt.field, r.Errors)
			}
			if snapshot() != before {
				t.Error("a refused change wrote something")
			}
		})
	}
}

const recordMeeting = `mutation($in: RecordMeetingInput!) { recordMeeting(input: $in) { meeting {
	id title heldAt format program { code } chairAgency { code } agenciesPresent { code }
	agendaItems { position title } actionItems { id position title status dueOn isOverdue ownerAgency { code } } } } }`

func meetingInput() map[string]any {
	return map[string]any{
		"title": "ประชุมบูรณาการแผนหมู่บ้านระดับจังหวัดเชียงราย", "heldAt": "2021-02-15T09:30:00+07:00",
		"format": "HYBRID", "programCode": "ROIJAIRAK-EXP-2564", "chairAgencyCode": "PO-57",
		"agencyCodes": []string{"PO-57", "ONCB-R5", "PIDTHONG"},
		"agendaItems": []map[string]any{{"title": "ความก้าวหน้าแผนหมู่บ้าน"}, {"title": "งบบูรณาการ", "summary": "สรุปงบ Function"}},
		"actionItems": []map[string]any{
			{"title": "ส่งแผนเข้าระบบ 1Plan", "ownerAgencyCode": "PO-57", "dueOn": "31 มี.ค. 2564"},
			{"title": "รายงานผลต่อที่ประชุมครั้งหน้า", "status": "DONE"},
		},
	}
}

func TestRecordMeeting(t *testing.T) {
	h := newHub(t, true)
	var got struct {
		RecordMeeting struct {
			Meeting struct {
				ID              string
				Title           string
				HeldAt          string
				Program         struct{ Code string }
				AgenciesPresent []struct{ Code string }
				AgendaItems     []struct {
					Position int
					Title    string
				}
				ActionItems []struct {
					ID          string
					Position    int
					Status      string
					DueOn       *string
					IsOverdue   bool
					OwnerAgency *struct{ Code string }
				}
			}
		}
	}
	h.query(recordMeeting, map[string]any{"in": meetingInput()}, &got)
	m := got.RecordMeeting.Meeting
	if m.HeldAt != "2021-02-15T09:30:00+07:00" || m.Program.Code != "ROIJAIRAK-EXP-2564" {
		t.Errorf("meeting = %+v", m)
	}
	var codes []string
	for _, a := range m.AgenciesPresent {
		codes = append(codes, a.Code)
	}
	if diff := cmp.Diff([]string{"ONCB-R5", "PIDTHONG", "PO-57"}, codes); diff != "" {
		t.Errorf("agencies (-want +got):\n%s", diff)
	}
	if len(m.AgendaItems) != 2 || m.AgendaItems[1].Position != 2 || len(m.ActionItems) != 2 {
		t.Fatalf("agenda %+v actions %+v", m.AgendaItems, m.ActionItems)
	}
	a0, a1 := m.ActionItems[0], m.ActionItems[1]
	if a0.Status != "OPEN" || deref(a0.DueOn) != "2021-03-31" || !a0.IsOverdue || a0.OwnerAgency == nil || a0.OwnerAgency.Code != "PO-57" {
		t.Errorf("first action = %+v (the test clock is 2022-06-01, so it is overdue)", a0)
	}
	if a1.Status != "DONE" || a1.IsOverdue || a1.OwnerAgency != nil {
		t.Errorf("second action = %+v", a1)
	}

	t.Run("updateActionItemStatus", func(t *testing.T) {
		var upd struct {
			UpdateActionItemStatus struct {
				ActionItem struct {
					Status    string
					IsOverdue bool
				}
			}
		}
		h.query(`mutation($id: ID!) { updateActionItemStatus(input: {id: $id, status: DONE}) { actionItem { status isOverdue } } }`,
			map[string]any{"id": a0.ID}, &upd)
		if s := upd.UpdateActionItemStatus.ActionItem; s.Status != "DONE" || s.IsOverdue {
			t.Errorf("after update: %+v", s)
		}
		var overdue struct{ ActionItems struct{ TotalCount int } }
		h.query(`{ actionItems(filter: {overdue: true, programCode: "ROIJAIRAK-EXP-2564"}) { totalCount } }`, nil, &overdue)
		// The demo meeting's two dated items (due 2021-03-31 and 2022-09-30): only the first is past due.
		if overdue.ActionItems.TotalCount != 1 {
			t.Errorf("overdue items = %d, want 1", overdue.ActionItems.TotalCount)
		}
	})

	t.Run("updateActionItemStatus refuses bad ids", func(t *testing.T) {
		idOf := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for _, id := range []string{"garbage!", idOf("ActionItem:999999"), idOf("Meeting:1"), idOf("ActionItem:x")} {
			r := h.fail(`mutation($id: ID!) { updateActionItemStatus(input: {id: $id, status: DONE}) { actionItem { id } } }`, map[string]any{"id": id})
			if r.code() != "BAD_USER_INPUT" || r.field() != "input.id" {
				t.Errorf("id %q: got %q %q: %v", id, r.code(), r.field(), r.Errors)
			}
		}
	})
}

func TestRecordMeeting_RefusesBadInputAndWritesNothing(t *testing.T) {
	h := newHub(t, true)
	for name, tt := range map[string]struct {
		change func(map[string]any)
		field  string
	}{
		"empty title":             {func(m map[string]any) { m["title"] = "  " }, "input.title"},
		"title too long":          {func(m map[string]any) { m["title"] = strings.Repeat("ก", 501) }, "input.title"},
		"unknown agency present":  {func(m map[string]any) { m["agencyCodes"] = []string{"PO-57", "NOPE"} }, "input.agencyCodes[1]"},
		"unknown chair agency":    {func(m map[string]any) { m["chairAgencyCode"] = "NOPE" }, "input.chairAgencyCode"},
		"unknown program":         {func(m map[string]any) { m["programCode"] = "NOPE" }, "input.programCode"},
		"unknown action owner":    {func(m map[string]any) { m["actionItems"].([]map[string]any)[1]["ownerAgencyCode"] = "NOPE" }, "input.actionItems[1].ownerAgencyCode"},
		"empty agenda title":      {func(m map[string]any) { m["agendaItems"].([]map[string]any)[0]["title"] = "" }, "input.agendaItems[0].title"},
		"time without offset":     {func(m map[string]any) { m["heldAt"] = "2021-02-15T09:30:00" }, "input.heldAt"},
		"meeting in the far past": {func(m map[string]any) { m["heldAt"] = "1900-01-01T00:00:00Z" }, "input.heldAt"},
		"bad due date":            {func(m map[string]any) { m["actionItems"].([]map[string]any)[0]["dueOn"] = "soon" }, "input.actionItems[0].dueOn"},
	} {
		t.Run(name, func(t *testing.T) {
			in := meetingInput()
			tt.change(in)
			r := h.fail(recordMeeting, map[string]any{"in": in})
			if r.code() != "BAD_USER_INPUT" || r.field() != tt.field {
				t.Errorf("got %q %q, want BAD_USER_INPUT %q: %v", r.code(), r.field(), tt.field, r.Errors)
			}
			if n := h.count(`SELECT (SELECT count(*) FROM meeting) + (SELECT count(*) FROM agenda_item) + (SELECT count(*) FROM action_item) + (SELECT count(*) FROM meeting_agency)`); n != 1+4+6+12 {
				t.Errorf("rows after a refused meeting = %d, want the demo's %d", n, 1+4+6+12)
			}
		})
	}
}
