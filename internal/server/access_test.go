package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prasan-hub/prasan/internal/auth"
)

// Without a valid token /graphql answers 401 with a GraphQL error and no data.
func TestAccess_TokenRequired(t *testing.T) {
	h := newHub(t, true)
	for name, token := range map[string]string{
		"no token":      "",
		"garbage":       "not-a-jwt",
		"expired token": "",
	} {
		t.Run(name, func(t *testing.T) {
			if name == "expired token" {
				token = expiredToken(t, h)
			}
			r, n := h.as(token).do(t.Context(), `{ villages { totalCount } }`, nil)
			if r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" || r.Data != nil || n != 0 {
				t.Errorf("status %d code %q data %s statements %d", r.status, r.code(), r.Data, n)
			}
		})
	}
	t.Run("a role the token does not allow", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ me { role } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.mint(auth.TokenRequest{Subject: "x", Roles: []auth.Role{auth.RoleViewer}}))
		req.Header.Set("X-Prasan-Role", "admin")
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "FORBIDDEN") {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
}

// expiredToken is a token of the local issuer that expired an hour ago.
func expiredToken(t *testing.T, h *hub) string {
	t.Helper()
	tok, err := auth.MintLocal(h.keyFile, auth.TokenRequest{Subject: "x", Roles: []auth.Role{auth.RoleAdmin}, TTL: time.Hour}, time.Now().Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAccess_Me(t *testing.T) {
	h := newHub(t, true)
	tok := h.mint(auth.TokenRequest{Subject: "somchai", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince, auth.RoleViewer}, Areas: []string{"50"}, Purpose: "drug-prevention-plan"})
	var got struct {
		Me struct {
			Subject, Issuer, AgencyCode, Role, Purpose string
			Roles                                      []string
			Agency                                     struct{ NameEn string }
			Scope                                      struct {
				All          bool
				AreaCodes    []string
				ProgramCodes []string
			}
		}
	}
	h.as(tok).query(`{ me { subject issuer agencyCode agency { nameEn } role roles purpose scope { all areaCodes programCodes } } }`, nil, &got)
	m := got.Me
	if m.Subject != "somchai" || m.Issuer != auth.LocalIssuer || m.AgencyCode != "PO-50" || m.Agency.NameEn != "Chiang Mai Provincial Office" ||
		m.Role != "PROVINCE" || m.Purpose != "drug-prevention-plan" || m.Scope.All || !cmp.Equal(m.Scope.AreaCodes, []string{"50"}) ||
		!cmp.Equal(m.Roles, []string{"PROVINCE", "VIEWER"}) {
		t.Errorf("me = %+v", m)
	}
}

// Each role reads exactly its slice: in lists, counts, progress and budget totals.
func TestAccess_ReadScopes(t *testing.T) {
	h := newHub(t, true)
	for name, tt := range map[string]struct {
		req       auth.TokenRequest
		villages  int
		provinces []string
	}{
		"admin":                      {auth.TokenRequest{Roles: []auth.Role{auth.RoleAdmin}}, 47, []string{"50", "56", "57", "58"}},
		"Chiang Mai province":        {auth.TokenRequest{Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}}, 20, []string{"50"}},
		"ONCB region 5":              {auth.TokenRequest{Roles: []auth.Role{auth.RoleONCBRegion}, Areas: []string{"56", "58"}}, 10, []string{"56", "58"}},
		"Pid Thong":                  {auth.TokenRequest{Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"ROIJAIRAK-EXP-2564"}}, 47, []string{"50", "56", "57", "58"}},
		"Pid Thong, another program": {auth.TokenRequest{Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"OTHER"}}, 0, nil},
		"partner in Chiang Rai":      {auth.TokenRequest{Roles: []auth.Role{auth.RolePartner}, Areas: []string{"57"}}, 17, []string{"57"}},
		"province without areas":     {auth.TokenRequest{Roles: []auth.Role{auth.RoleProvince}}, 0, nil},
	} {
		t.Run(name, func(t *testing.T) {
			tt.req.Subject = "t"
			var got struct {
				Villages     struct{ TotalCount int }
				VillagePlans struct{ TotalCount int }
				Program      struct {
					Progress struct {
						VillagesTargeted int
						ByProvince       []struct{ Area struct{ Code string } }
					}
				}
				BudgetSummary struct {
					Rows []struct{ Province *struct{ Code string } }
				}
				Village *struct{ Code string }
			}
			h.as(h.mint(tt.req)).query(`{ villages { totalCount } villagePlans { totalCount }
				program(code: "ROIJAIRAK-EXP-2564") { progress { villagesTargeted byProvince { area { code } } } }
				budgetSummary(fiscalYear: 2565, groupBy: [PROVINCE]) { rows { province { code } } }
				village(code: "50040103") { code } }`, nil, &got)
			if got.Villages.TotalCount != tt.villages || got.VillagePlans.TotalCount != tt.villages || got.Program.Progress.VillagesTargeted != tt.villages {
				t.Errorf("villages %d, plans %d, targeted %d; want %d", got.Villages.TotalCount, got.VillagePlans.TotalCount, got.Program.Progress.VillagesTargeted, tt.villages)
			}
			var provinces, budgetProvinces []string
			for _, p := range got.Program.Progress.ByProvince {
				provinces = append(provinces, p.Area.Code)
			}
			for _, r := range got.BudgetSummary.Rows {
				if r.Province != nil {
					budgetProvinces = append(budgetProvinces, r.Province.Code)
				}
			}
			if !cmp.Equal(provinces, tt.provinces) || !cmp.Equal(budgetProvinces, tt.provinces) {
				t.Errorf("progress provinces %v, budget provinces %v; want %v", provinces, budgetProvinces, tt.provinces)
			}
			sees := got.Village != nil
			if want := tt.villages == 47 || strings.Contains(strings.Join(tt.req.Areas, ","), "50"); sees != want {
				t.Errorf("village 50040103 visible = %v, want %v", sees, want)
			}
		})
	}
}

// Writes outside the caller's write scope fail with FORBIDDEN and change nothing.
func TestAccess_WriteScopes(t *testing.T) {
	h := newHub(t, true)
	const inChiangMai, inChiangRai = "50040108", "57030107"
	plan := func(village string) map[string]any {
		return map[string]any{"in": map[string]any{"villageCode": village, "fiscalYear": 2564, "status": "IN_PROGRESS"}}
	}
	snapshot := func() string {
		return h.text(`SELECT string_agg(vp::text, ';' ORDER BY id) FROM village_plan vp`) + h.text(`SELECT count(*)::text FROM meeting`)
	}
	tok := func(role auth.Role, areas ...string) string {
		return h.mint(auth.TokenRequest{Subject: "w", Agency: "PO-50", Roles: []auth.Role{role}, Areas: areas})
	}
	for name, tt := range map[string]struct {
		token, query string
		vars         map[string]any
	}{
		"ONCB sets a plan":                           {tok(auth.RoleONCB), setPlan, plan(inChiangMai)},
		"a viewer sets a plan":                       {tok(auth.RoleViewer), setPlan, plan(inChiangMai)},
		"Pid Thong sets a plan":                      {h.mint(auth.TokenRequest{Subject: "p", Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"ROIJAIRAK-EXP-2564"}}), setPlan, plan(inChiangMai)},
		"Chiang Mai sets a Chiang Rai plan":          {tok(auth.RoleProvince, "50"), setPlan, plan(inChiangRai)},
		"MOI records a meeting":                      {tok(auth.RoleMOI), recordMeeting, map[string]any{"in": meetingInput()}},
		"a partner records a meeting":                {tok(auth.RolePartner, "57"), recordMeeting, map[string]any{"in": meetingInput()}},
		"a province records a meeting on no program": {tok(auth.RoleProvince, "50"), recordMeeting, map[string]any{"in": withoutProgram(meetingInput())}},
		"a province out of the program's areas":      {tok(auth.RoleProvince, "10"), recordMeeting, map[string]any{"in": meetingInput()}},
	} {
		t.Run(name, func(t *testing.T) {
			before := snapshot()
			r := h.as(tt.token).fail(tt.query, tt.vars)
			if r.code() != "FORBIDDEN" {
				t.Errorf("code %q, want FORBIDDEN: %v", r.code(), r.Errors)
			}
			if snapshot() != before {
				t.Error("a refused write changed something")
			}
		})
	}
	t.Run("in scope", func(t *testing.T) {
		var p planPayload
		h.as(tok(auth.RoleProvince, "50")).query(setPlan, plan(inChiangMai), &p)
		if p.SetVillagePlan.VillagePlan.Status != "IN_PROGRESS" {
			t.Errorf("%+v", p)
		}
		h.as(tok(auth.RoleMOI)).query(setPlan, plan(inChiangRai), &p)
		var m struct {
			RecordMeeting struct{ Meeting struct{ ID string } }
		}
		h.as(tok(auth.RoleProvince, "57")).query(recordMeeting, map[string]any{"in": meetingInput()}, &m)
		if m.RecordMeeting.Meeting.ID == "" {
			t.Error("a province could not record a meeting about a program in its areas")
		}
	})
}

func withoutProgram(in map[string]any) map[string]any {
	delete(in, "programCode")
	return in
}

// Personal data is null, with a FORBIDDEN error saying why, for roles that do not
// need it; the rest of the object is still there.
func TestAccess_PersonalData(t *testing.T) {
	h := newHub(t, true)
	const q = `{ village(code: "50040103") { plan(fiscalYear: 2564) { facilitators { role name phone } } }
		meetings { nodes { title chairName chairPosition } } }`
	type answer struct {
		Village struct {
			Plan struct {
				Facilitators []struct {
					Role  string
					Name  *string
					Phone *string
				}
			}
		}
		Meetings struct {
			Nodes []struct {
				Title         string
				ChairName     *string
				ChairPosition *string
			}
		}
	}
	for role, sees := range map[auth.Role]bool{auth.RoleAdmin: true, auth.RoleMOI: true, auth.RolePidThong: true,
		auth.RoleProvince: true, auth.RoleViewer: false, auth.RolePartner: false} {
		t.Run(string(role), func(t *testing.T) {
			tok := h.mint(auth.TokenRequest{Subject: "p", Roles: []auth.Role{role}, Areas: []string{"50"}, Programs: []string{"ROIJAIRAK-EXP-2564"}})
			r, _ := h.as(tok).do(t.Context(), q, nil)
			var got answer
			if err := json.Unmarshal(r.Data, &got); err != nil {
				t.Fatal(err)
			}
			fs, ms := got.Village.Plan.Facilitators, got.Meetings.Nodes
			if len(fs) != 2 || len(ms) != 1 || fs[0].Role == "" || ms[0].Title == "" || ms[0].ChairPosition == nil {
				t.Fatalf("the non-personal fields are missing: %+v %+v", fs, ms)
			}
			shown := fs[0].Name != nil && fs[1].Phone != nil && ms[0].ChairName != nil
			hidden := fs[0].Name == nil && fs[1].Name == nil && fs[1].Phone == nil && ms[0].ChairName == nil
			switch {
			case sees && (!shown || len(r.Errors) > 0):
				t.Errorf("personal data hidden from %s: %+v", role, r.Errors)
			case !sees && !hidden:
				t.Errorf("personal data shown to %s", role)
			case !sees && (r.code() != "FORBIDDEN" || !strings.Contains(r.Errors[0].Message, "personal data")):
				t.Errorf("errors %+v, want FORBIDDEN about personal data", r.Errors)
			}
		})
	}
}

// A caller limited to areas or programs sees the meetings about programs that
// target its villages, and nothing of the others: not in lists, counts or by id.
func TestAccess_MeetingScope(t *testing.T) {
	h := newHub(t, true)
	var all struct {
		Meetings struct {
			Nodes []struct {
				ID          string
				ActionItems []struct{ ID string }
			}
		}
	}
	h.query(`{ meetings { nodes { id actionItems { id } } } }`, nil, &all)
	meetingID, itemID := all.Meetings.Nodes[0].ID, all.Meetings.Nodes[0].ActionItems[0].ID
	for name, tt := range map[string]struct {
		req  auth.TokenRequest
		sees bool
	}{
		"Chiang Mai province":       {auth.TokenRequest{Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}}, true},
		"Bangkok province":          {auth.TokenRequest{Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"10"}}, false},
		"Pid Thong on the program":  {auth.TokenRequest{Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"ROIJAIRAK-EXP-2564"}}, true},
		"Pid Thong on another":      {auth.TokenRequest{Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"OTHER"}}, false},
		"a viewer reads every area": {auth.TokenRequest{Roles: []auth.Role{auth.RoleViewer}}, true},
	} {
		t.Run(name, func(t *testing.T) {
			tt.req.Subject = "m"
			var got struct {
				Meetings    struct{ TotalCount int }
				ActionItems struct{ TotalCount int }
				M           *struct{ ID string }
				A           *struct{ ID string }
			}
			h.as(h.mint(tt.req)).query(`query($m: ID!, $a: ID!) { meetings { totalCount } actionItems { totalCount }
				m: node(id: $m) { id } a: node(id: $a) { id } }`, map[string]any{"m": meetingID, "a": itemID}, &got)
			want := map[bool][2]int{true: {1, 6}, false: {0, 0}}[tt.sees]
			if got.Meetings.TotalCount != want[0] || got.ActionItems.TotalCount != want[1] || (got.M != nil) != tt.sees || (got.A != nil) != tt.sees {
				t.Errorf("meetings %d, action items %d, by id %v/%v; want %v", got.Meetings.TotalCount, got.ActionItems.TotalCount, got.M != nil, got.A != nil, want)
			}
		})
	}
}
