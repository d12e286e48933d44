package server_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prasan-hub/prasan/internal/auth"
)

// A plan read with its items, lines and totals in one round trip (the look-ahead of
// Village.plan, and of the root village field: the village with its plan) answers
// exactly what the same plan read level by level answers (Village.plans), for every
// caller: a scope sees only its own, a plan without items or an item without lines
// shows none, a village without a plan that year shows null, and a total asked
// alone is the total asked with the lines.
func TestPlanTree_ReadAheadAnswersAsLevelByLevel(t *testing.T) {
	h := newHub(t, false)
	seedVillages(t, h, 12)
	for _, sql := range []string{
		`DELETE FROM budget_line WHERE plan_item_id = (SELECT min(id) FROM plan_item)`,
		`DELETE FROM plan_item WHERE village_plan_id = (SELECT max(id) FROM village_plan)`,
		`DELETE FROM village_plan WHERE id = (SELECT min(id) FROM village_plan WHERE id <> (SELECT min(id) FROM village_plan))`,
	} {
		if _, err := h.db.Pool.Exec(t.Context(), sql); err != nil {
			t.Fatal(err)
		}
	}
	const fields = `id status budgetTotal facilitators { role name agency { code } } items { id position budgetTotal budgetLines { id amount agency { code } } }`
	type page struct {
		Villages struct {
			Nodes []struct {
				Code  string
				Plan  json.RawMessage
				Plans []json.RawMessage
				Total *struct{ BudgetTotal string }
			}
		}
	}
	lines := h.count(`SELECT count(*) FROM budget_line`)
	// every village, each asked on its own (the root field, read with its plan)
	var codes []string
	var all struct {
		Villages struct{ Nodes []struct{ Code string } }
	}
	h.query(`{ villages(filter: {areaCode: "57"}, first: 20) { nodes { code } } }`, nil, &all)
	one := "query($year: FiscalYear!) {"
	for i, v := range all.Villages.Nodes {
		codes = append(codes, v.Code)
		one += fmt.Sprintf(` v%d: village(code: %q) { code plan(fiscalYear: $year) { %s } total: plan(fiscalYear: "๒๕๖๖") { budgetTotal } }`, i, v.Code, fields)
	}
	one += " }"
	wantLines := map[string]int{"admin": lines, "province office": lines, "another province's office": 0}
	for name, caller := range map[string]*hub{
		"admin":                     h,
		"province office":           h.as(h.mint(auth.TokenRequest{Subject: "po", Agency: "PO-57", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"57"}})),
		"another province's office": h.as(h.mint(auth.TokenRequest{Subject: "po", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}})),
	} {
		var ahead, level page
		caller.query(`{ villages(filter: {areaCode: "57"}, first: 20) { nodes { code plan(fiscalYear: 2566) { `+fields+` }
			total: plan(fiscalYear: 2566) { budgetTotal } } } }`, nil, &ahead)
		caller.query(`{ villages(filter: {areaCode: "57"}, first: 20) { nodes { code plans { `+fields+` } } } }`, nil, &level)
		var each map[string]*struct {
			Code  string
			Plan  json.RawMessage
			Total *struct{ BudgetTotal string }
		}
		caller.query(one, map[string]any{"year": 2566}, &each)
		// and through a province's connection, by edges, in pages of five, with the count
		type edges struct {
			Province *struct {
				Villages struct {
					TotalCount int
					PageInfo   struct {
						EndCursor   *string
						HasNextPage bool
					}
					Edges []struct {
						Node struct {
							Code string
							Plan json.RawMessage
						}
					}
				}
			}
		}
		paged := map[string]json.RawMessage{}
		var after *string
		for pages := 0; pages < 10; pages++ {
			var pg edges
			caller.query(`query($after: String) { province(code: "57") { villages(first: 5, after: $after) {
				totalCount pageInfo { endCursor hasNextPage } edges { node { code plan(fiscalYear: 2566) { `+fields+` } } } } } }`,
				map[string]any{"after": after}, &pg)
			if pg.Province == nil {
				t.Fatalf("%s: no province 57", name)
			}
			vs := pg.Province.Villages
			if vs.TotalCount != len(level.Villages.Nodes) {
				t.Errorf("%s: totalCount %d with the plans read ahead, %d villages", name, vs.TotalCount, len(level.Villages.Nodes))
			}
			for _, e := range vs.Edges {
				paged[e.Node.Code] = e.Node.Plan
			}
			if !vs.PageInfo.HasNextPage {
				break
			}
			after = vs.PageInfo.EndCursor
		}
		if len(paged) != len(ahead.Villages.Nodes) {
			t.Errorf("%s: %d villages paged by edges, %d in one page", name, len(paged), len(ahead.Villages.Nodes))
		}
		for _, v := range ahead.Villages.Nodes {
			if diff := cmp.Diff(string(v.Plan), string(paged[v.Code])); diff != "" {
				t.Errorf("%s: village %s paged by edges (-in one page +paged):\n%s", name, v.Code, diff)
			}
		}
		for i, code := range codes {
			v := each[fmt.Sprintf("v%d", i)]
			if wantLines[name] == 0 {
				if v != nil {
					t.Errorf("%s: village %s shown outside the caller's scope: %+v", name, code, v)
				}
				continue
			}
			if v == nil || i >= len(ahead.Villages.Nodes) || ahead.Villages.Nodes[i].Code != code {
				t.Fatalf("%s: village %s: %+v", name, code, v)
			}
			if diff := cmp.Diff(string(ahead.Villages.Nodes[i].Plan), string(v.Plan)); diff != "" {
				t.Errorf("%s: village %s asked on its own (-in the list +on its own):\n%s", name, code, diff)
			}
			if want := ahead.Villages.Nodes[i].Total; (v.Total == nil) != (want == nil) || (want != nil && *v.Total != *want) {
				t.Errorf("%s: village %s, total on its own %+v, in the list %+v", name, code, v.Total, want)
			}
		}
		villages := 12
		if wantLines[name] == 0 {
			villages = 0
		}
		if len(ahead.Villages.Nodes) != villages || len(level.Villages.Nodes) != villages {
			t.Fatalf("%s: %d and %d villages, want %d", name, len(ahead.Villages.Nodes), len(level.Villages.Nodes), villages)
		}
		var nulls, shown int
		for i, v := range ahead.Villages.Nodes {
			want := json.RawMessage("null")
			if ps := level.Villages.Nodes[i].Plans; len(ps) > 0 {
				want = ps[0]
			}
			if diff := cmp.Diff(string(want), string(v.Plan)); diff != "" {
				t.Errorf("%s: village %s, read ahead (-level by level +ahead):\n%s", name, v.Code, diff)
			}
			if string(v.Plan) == "null" {
				nulls++
				continue
			}
			var p struct{ BudgetTotal string }
			_ = json.Unmarshal(v.Plan, &p)
			if v.Total == nil || v.Total.BudgetTotal != p.BudgetTotal {
				t.Errorf("%s: village %s, the total alone %+v, with the lines %s", name, v.Code, v.Total, p.BudgetTotal)
			}
			var n struct{ Items []struct{ BudgetLines []any } }
			_ = json.Unmarshal(v.Plan, &n)
			for _, it := range n.Items {
				shown += len(it.BudgetLines)
			}
		}
		if nulls != min(villages, 1) || shown != wantLines[name] {
			t.Errorf("%s: %d villages without a plan, %d lines shown (want %d)", name, nulls, shown, wantLines[name])
		}
	}
}
