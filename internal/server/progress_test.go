package server_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prasan-hub/prasan/internal/auth"
)

// Plan progress asked with its provinces reads them in the statement of the totals
// (summing them): the totals are those asked alone, and the provinces those asked
// of the totals read alone, for every caller and area.
func TestPlanProgress_TotalsWithProvincesAreTheTotalsAlone(t *testing.T) {
	h := newHub(t, true)
	seedVillages(t, h, 40)
	const totals = `villagesTargeted plansCompleted plansInProgress plansNotStarted completionRate subdistrictCount districtCount provinceCount`
	for name, caller := range map[string]*hub{
		"admin":           h,
		"province office": h.as(h.mint(auth.TokenRequest{Subject: "po", Agency: "PO-57", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"57"}})),
	} {
		for _, area := range []any{nil, "57", "5701"} {
			vars := map[string]any{"fy": 2566, "area": area}
			var alone, with, provinces struct{ PlanProgress map[string]json.RawMessage }
			// the totals alone; with the provinces; the provinces beside other fields
			caller.query(`query($fy: FiscalYear!, $area: String) { planProgress(fiscalYear: $fy, areaCode: $area) { `+totals+` } }`, vars, &alone)
			caller.query(`query($fy: FiscalYear!, $area: String) { planProgress(fiscalYear: $fy, areaCode: $area) { `+totals+` byProvince { area { code } villagesTargeted plansCompleted plansInProgress plansNotStarted } } }`, vars, &with)
			caller.query(`query($fy: FiscalYear!, $area: String) { planProgress(fiscalYear: $fy, areaCode: $area) { byProvince { area { code } villagesTargeted plansCompleted plansInProgress plansNotStarted } } }`, vars, &provinces)
			byProvince := with.PlanProgress["byProvince"]
			delete(with.PlanProgress, "byProvince")
			if diff := cmp.Diff(alone.PlanProgress, with.PlanProgress); diff != "" || len(alone.PlanProgress) != 8 {
				t.Errorf("%s, area %v: totals (-alone +with provinces):\n%s", name, area, diff)
			}
			if string(byProvince) != string(provinces.PlanProgress["byProvince"]) || len(byProvince) < 20 {
				t.Errorf("%s, area %v: provinces %s, asked alone %s", name, area, byProvince, provinces.PlanProgress["byProvince"])
			}
		}
	}
}
