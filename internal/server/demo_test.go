package server_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The progress query must show exactly the figures of the source: 47 villages in
// 33 subdistricts, 19 districts and 4 provinces; 13 plans done, 34 to go.
func TestDemo_ProgressMatchesTheSource(t *testing.T) {
	h := newHub(t, true)
	var got struct {
		Program struct {
			NameEn   string
			Progress struct {
				FiscalYear                      int
				VillagesTargeted                int
				SubdistrictCount                int
				DistrictCount                   int
				ProvinceCount                   int
				PlansCompleted                  int
				PlansInProgress                 int
				PlansNotStarted                 int
				PlansMeetingParticipationTarget int
				CompletionRate                  float64
				ByProvince                      []struct {
					Area             struct{ Code string }
					VillagesTargeted int
					PlansCompleted   int
				}
				ByDistrict []struct{ VillagesTargeted int }
			}
		}
	}
	h.query(`{ program(code: "ROIJAIRAK-EXP-2564") { nameEn progress {
		fiscalYear villagesTargeted subdistrictCount districtCount provinceCount
		plansCompleted plansInProgress plansNotStarted plansMeetingParticipationTarget completionRate
		byProvince { area { code } villagesTargeted plansCompleted }
		byDistrict { villagesTargeted } } } }`, nil, &got)
	p := got.Program.Progress
	want := []int{2564, 47, 33, 19, 4, 13, 0, 34, 13}
	if diff := cmp.Diff(want, []int{p.FiscalYear, p.VillagesTargeted, p.SubdistrictCount, p.DistrictCount, p.ProvinceCount,
		p.PlansCompleted, p.PlansInProgress, p.PlansNotStarted, p.PlansMeetingParticipationTarget}); diff != "" {
		t.Errorf("progress (fy, villages, subdistricts, districts, provinces, completed, in progress, not started, meeting target) (-want +got):\n%s", diff)
	}
	if p.CompletionRate != 27.65 {
		t.Errorf("completionRate = %v, want 27.65 (13/47)", p.CompletionRate)
	}
	var provinces []string
	villages, completed := 0, 0
	for _, a := range p.ByProvince {
		provinces = append(provinces, a.Area.Code)
		villages += a.VillagesTargeted
		completed += a.PlansCompleted
	}
	if diff := cmp.Diff([]string{"50", "56", "57", "58"}, provinces); diff != "" {
		t.Errorf("byProvince areas (-want +got):\n%s", diff)
	}
	if villages != 47 || completed != 13 {
		t.Errorf("byProvince sums to %d villages, %d completed; want 47, 13", villages, completed)
	}
	if len(p.ByDistrict) != 19 {
		t.Errorf("byDistrict has %d districts, want 19", len(p.ByDistrict))
	}
}

// The not-yet-done plans carry the schedule of the source, 25 Jan – 31 Mar 2021;
// every demo village is real geography with an invented name marked as demo.
func TestDemo_PlansScheduleAndVillages(t *testing.T) {
	h := newHub(t, true)
	var got struct {
		VillagePlans struct {
			TotalCount int
			Nodes      []struct {
				Status         string
				ScheduledStart *string
				ScheduledEnd   *string
				CompletedOn    *string
				Village        struct {
					IsDemo      bool
					Subdistrict struct{ NameTh string }
				}
			}
		}
	}
	h.query(`{ villagePlans(filter: {programCode: "ROIJAIRAK-EXP-2564", fiscalYear: 2564}, first: 100) { totalCount
		nodes { status scheduledStart scheduledEnd completedOn village { isDemo subdistrict { nameTh } } } } }`, nil, &got)
	if got.VillagePlans.TotalCount != 47 {
		t.Fatalf("totalCount = %d, want 47", got.VillagePlans.TotalCount)
	}
	notStarted := 0
	for _, p := range got.VillagePlans.Nodes {
		if !p.Village.IsDemo || p.Village.Subdistrict.NameTh == "" {
			t.Errorf("village not marked demo or without a real subdistrict: %+v", p.Village)
		}
		switch p.Status {
		case "NOT_STARTED":
			notStarted++
			if deref(p.ScheduledStart) != "2021-01-25" || deref(p.ScheduledEnd) != "2021-03-31" {
				t.Errorf("schedule %v–%v, want 2021-01-25–2021-03-31", deref(p.ScheduledStart), deref(p.ScheduledEnd))
			}
		case "COMPLETED":
			if p.CompletedOn == nil || *p.CompletedOn >= "2021-01-21" {
				t.Errorf("completed plan done on %v, want before the meeting of 2021-01-21", deref(p.CompletedOn))
			}
		}
	}
	if notStarted != 34 {
		t.Errorf("%d plans not started, want 34", notStarted)
	}
}

// The meeting of 21 January 2021 is recorded with its agenda and next steps, and
// the budget lines cover both kinds of budget in FY 2564 and 2565.
func TestDemo_MeetingAndBudgets(t *testing.T) {
	h := newHub(t, true)
	var got struct {
		Meetings struct {
			Nodes []struct {
				HeldAt          string
				Format          string
				ChairAgency     struct{ Code string }
				AgendaItems     []struct{ Position int }
				ActionItems     []struct{ Status string }
				AgenciesPresent []struct{ Code string }
			}
		}
		Y2564 struct{ Rows []struct{ Source string } }
		Y2565 struct{ Rows []struct{ Source string } }
	}
	h.query(`{ meetings { nodes { heldAt format chairAgency { code } agendaItems { position } actionItems { status } agenciesPresent { code } } }
		y2564: budgetSummary(fiscalYear: 2564, groupBy: [SOURCE]) { rows { source } }
		y2565: budgetSummary(fiscalYear: 2565, groupBy: [SOURCE]) { rows { source } } }`, nil, &got)
	if len(got.Meetings.Nodes) != 1 {
		t.Fatalf("%d meetings, want 1", len(got.Meetings.Nodes))
	}
	m := got.Meetings.Nodes[0]
	if m.HeldAt != "2021-01-21T14:00:00+07:00" || m.Format != "VIDEO_CONFERENCE" || m.ChairAgency.Code != "ONCB-R5" {
		t.Errorf("meeting = %+v", m)
	}
	if len(m.AgendaItems) != 4 || len(m.ActionItems) != 6 || len(m.AgenciesPresent) != 12 {
		t.Errorf("meeting has %d agenda items, %d action items, %d agencies; want 4, 6, 12",
			len(m.AgendaItems), len(m.ActionItems), len(m.AgenciesPresent))
	}
	for _, y := range []struct {
		fy   int
		rows []struct{ Source string }
	}{{2564, got.Y2564.Rows}, {2565, got.Y2565.Rows}} {
		var sources []string
		for _, r := range y.rows {
			sources = append(sources, r.Source)
		}
		if diff := cmp.Diff([]string{"AGENCY_CORE", "INTEGRATED_FUNCTION"}, sources); diff != "" {
			t.Errorf("FY %d sources (-want +got):\n%s", y.fy, diff)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
