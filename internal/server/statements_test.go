package server_test

import (
	"fmt"
	"testing"
)

// seedVillages adds n villages (moo 1 of the first n subdistricts of Chiang Rai and
// beyond), each with a FY 2566 plan of three items, two budget lines per item and two
// facilitators.
func seedVillages(t testing.TB, h *hub, n int) {
	t.Helper()
	_, err := h.db.Pool.Exec(t.Context(), `
		INSERT INTO agency (code, name_th, kind) VALUES ('ONCB-R5', 'สำนักงาน ป.ป.ส. ภาค ๕', 'ONCB_REGIONAL') ON CONFLICT DO NOTHING`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.db.Pool.Exec(t.Context(), `
		WITH s AS (SELECT code FROM area WHERE length(code) = 6 AND code >= '57' ORDER BY code LIMIT $1),
		v AS (INSERT INTO area (code, parent_code, moo, name_th) SELECT code || '01', code, 1, 'บ้านทดสอบ ' || code FROM s RETURNING code),
		p AS (INSERT INTO village_plan (village_code, fiscal_year, status) SELECT code, 2566, 'IN_PROGRESS' FROM v RETURNING id),
		f AS (INSERT INTO facilitator (village_plan_id, role, name) SELECT id, r, 'ผู้ทดสอบ' FROM p, unnest(ARRAY['AD1', 'AD2']) r),
		i AS (INSERT INTO plan_item (village_plan_id, position, title, category) SELECT id, k, 'รายการ ' || k, 'OTHER' FROM p, generate_series(1, 3) k RETURNING id)
		INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, plan_item_id)
		SELECT 2566, 1000.25 * k, 'AGENCY_CORE', 'APPROVED', 'ONCB-R5', id FROM i, generate_series(1, 2) k`, n)
	if err != nil {
		t.Fatal(err)
	}
}

// A nested list costs a fixed handful of statements, however many rows it holds:
// each level is loaded in one batch, never one statement per row.
func TestStatementCount_IsBoundedWhateverThePageSize(t *testing.T) {
	h := newHub(t, true)
	seedVillages(t, h, 100)
	const query = `query($n: Int) { villages(filter: {areaCode: "57"}, first: $n) { totalCount nodes {
		code nameTh subdistrict { nameTh } district { nameTh province { nameTh } } province { code }
		programs { code }
		plans { status budgetTotal facilitators { role agency { code } }
			items { title responsibleAgency { code } budgetTotal budgetLines { amount agency { code } } } } } } }`
	// At most one statement per level and field, whatever the number of rows:
	// villages, their count, and the villages' subdistrict, district, province,
	// programs and plans; the districts' province; the plans' budget total,
	// facilitators and items; the facilitators' agency; the items' agency and lines;
	// the lines' agency. Fields that share a loader may share a batch, so it can be
	// fewer.
	const bound = 15
	for _, n := range []int{1, 5, 100} {
		r, statements := h.do(t.Context(), query, map[string]any{"n": n})
		if len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		t.Logf("%d villages: %d statements", n, statements)
		if statements > bound {
			t.Errorf("%d villages took %d statements, want at most %d", n, statements, bound)
		}
	}
}

// The data a nested page returns is the data that was stored: loaders hand each
// parent its own children.
func TestNestedPage_ChildrenBelongToTheirParents(t *testing.T) {
	h := newHub(t, false)
	seedVillages(t, h, 30)
	var got struct {
		Villages struct {
			Nodes []struct {
				Code        string
				Subdistrict struct{ Code string }
				Plans       []struct {
					BudgetTotal string
					Village     struct{ Code string }
					Items       []struct {
						Position    int
						BudgetTotal string
						BudgetLines []struct{ Amount string }
					}
				}
			}
		}
	}
	h.query(`{ villages(first: 30) { nodes { code subdistrict { code } plans { budgetTotal village { code }
		items { position budgetTotal budgetLines { amount } } } } } }`, nil, &got)
	if len(got.Villages.Nodes) != 30 {
		t.Fatalf("%d villages, want 30", len(got.Villages.Nodes))
	}
	for _, v := range got.Villages.Nodes {
		if v.Subdistrict.Code != v.Code[:6] || len(v.Plans) != 1 || v.Plans[0].Village.Code != v.Code {
			t.Fatalf("village %s: subdistrict %s, plans %+v", v.Code, v.Subdistrict.Code, v.Plans)
		}
		p := v.Plans[0]
		// each item has lines of 1000.25 and 2000.50: 3000.75 per item, 9002.25 per plan
		if p.BudgetTotal != "9002.25" || len(p.Items) != 3 {
			t.Errorf("village %s plan total %s with %d items", v.Code, p.BudgetTotal, len(p.Items))
		}
		for i, it := range p.Items {
			if it.Position != i+1 || it.BudgetTotal != "3000.75" || fmt.Sprint(it.BudgetLines) != "[{1000.25} {2000.50}]" {
				t.Errorf("village %s item %d: %+v", v.Code, i, it)
			}
		}
	}
}
