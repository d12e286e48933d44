package postgres_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/demo"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
	"github.com/prasan-hub/prasan/internal/refdata"
)

func demoDB(t *testing.T) *postgres.DB {
	t.Helper()
	db := pgtest.New(t)
	if _, err := postgres.LoadDemo(t.Context(), db, demo.New()); err != nil {
		t.Fatal(err)
	}
	return db
}

func count(t *testing.T, db *postgres.DB, sql string) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(t.Context(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The whole of Thailand's geography is there, and loading it again changes nothing.
func TestLoadAdminAreas(t *testing.T) {
	db := pgtest.New(t)
	got := []int{
		count(t, db, `SELECT count(*) FROM area WHERE length(code) = 2`),
		count(t, db, `SELECT count(*) FROM area WHERE length(code) = 4`),
		count(t, db, `SELECT count(*) FROM area WHERE length(code) = 6`),
	}
	// 77 provinces, 928 districts (878 amphoe and Bangkok's 50 khet), 7,413 subdistricts (see internal/refdata/README.md)
	if diff := cmp.Diff([]int{77, 928, 7413}, got); diff != "" {
		t.Errorf("provinces, districts, subdistricts (-want +got):\n%s", diff)
	}
	ref, err := refdata.LoadAdminAreas()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := postgres.LoadAdminAreas(t.Context(), db, ref)
	if err != nil || loaded {
		t.Errorf("second load: loaded=%v err=%v, want nothing to do", loaded, err)
	}
	var name string
	if err := db.Pool.QueryRow(t.Context(), `SELECT name_th FROM area WHERE code = '5004'`).Scan(&name); err != nil || name != "เชียงดาว" {
		t.Errorf("district 5004 = %q, %v", name, err)
	}
}

// Loading the demo twice leaves the same rows; changes made since are kept.
func TestLoadDemo_Idempotent(t *testing.T) {
	db := demoDB(t)
	const all = `SELECT (SELECT count(*) FROM area WHERE length(code) = 8) + (SELECT count(*) FROM village_plan)
		+ (SELECT count(*) FROM plan_item) + (SELECT count(*) FROM budget_line) + (SELECT count(*) FROM facilitator)
		+ (SELECT count(*) FROM meeting) + (SELECT count(*) FROM action_item) + (SELECT count(*) FROM agency)`
	before := count(t, db, all)
	if _, err := db.Pool.Exec(t.Context(), `UPDATE village_plan SET status = 'IN_PROGRESS' WHERE village_code = '50040108'`); err != nil {
		t.Fatal(err)
	}
	loaded, err := postgres.LoadDemo(t.Context(), db, demo.New())
	if err != nil || loaded {
		t.Fatalf("second load: loaded=%v err=%v", loaded, err)
	}
	if after := count(t, db, all); after != before {
		t.Errorf("rows %d after a second load, want %d", after, before)
	}
	if n := count(t, db, `SELECT count(*) FROM village_plan WHERE status = 'IN_PROGRESS'`); n != 1 {
		t.Errorf("a change made after loading was lost")
	}
}

// A scope limited to areas sees only what lies inside them: in objects, lists,
// counts, nested children and aggregates.
func TestScope_AppliesToEveryRead(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	areas, plans, budgets, programs := postgres.NewAreaStore(db), postgres.NewPlanStore(db), postgres.NewBudgetStore(db), postgres.NewProgramStore(db)
	cmCode := "50040103" // a Chiang Mai demo village
	for name, tt := range map[string]struct {
		scope     auth.Scope
		villages  int
		sees      []string
		provinces []string
	}{
		"everything":        {auth.All(), 47, []string{cmCode}, []string{"50", "56", "57", "58"}},
		"Chiang Mai":        {auth.Areas("50"), 20, []string{cmCode}, []string{"50"}},
		"a district":        {auth.Areas("5004"), 3, []string{cmCode}, []string{"50"}},
		"two provinces":     {auth.Areas("56", "58"), 10, nil, []string{"56", "58"}},
		"nothing granted":   {auth.Areas(), 0, nil, nil},
		"an area with none": {auth.Areas("10"), 0, nil, nil},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := areas.CountVillages(ctx, tt.scope, area.VillageFilter{})
			if err != nil || n != tt.villages {
				t.Errorf("CountVillages = %d, %v; want %d", n, err, tt.villages)
			}
			page, err := areas.Villages(ctx, tt.scope, area.VillageFilter{}, postgres.Page{First: 100})
			if err != nil || len(page) != tt.villages {
				t.Errorf("Villages = %d rows, %v; want %d", len(page), err, tt.villages)
			}
			byCode, err := areas.VillagesByCode(ctx, tt.scope, []string{cmCode})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.sees, slices.Sorted(maps.Keys(byCode)), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("VillagesByCode (-want +got):\n%s", diff)
			}
			pl, err := plans.PlansByVillage(ctx, tt.scope, []string{cmCode})
			if err != nil || (len(pl[cmCode]) > 0) != (len(tt.sees) > 0) {
				t.Errorf("PlansByVillage = %v, %v", pl, err)
			}
			np, err := plans.CountPlans(ctx, tt.scope, plan.Filter{})
			if err != nil || np != tt.villages {
				t.Errorf("CountPlans = %d, %v; want %d", np, err, tt.villages)
			}
			pr, err := programs.Progress(ctx, tt.scope, demo.ProgramCode, demo.FiscalYear)
			if err != nil || pr.VillagesTargeted != tt.villages {
				t.Errorf("Progress.VillagesTargeted = %+v, %v; want %d", pr, err, tt.villages)
			}
			sum, err := budgets.Summary(ctx, tt.scope, 2565, []budget.Dimension{budget.ByProvince}, budget.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var provinces []string
			for _, r := range sum.Rows {
				if r.ProvinceCode == nil {
					provinces = append(provinces, "(none)")
					continue
				}
				provinces = append(provinces, *r.ProvinceCode)
			}
			want := tt.provinces
			if tt.scope.IsAll() {
				want = append(slices.Clone(want), "(none)") // national program lines name no area
			}
			if diff := cmp.Diff(want, provinces, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("budget summary provinces (-want +got):\n%s", diff)
			}
		})
	}
}

// Setting a plan outside the scope is refused as if the village did not exist, and
// changes nothing.
func TestSetPlan_OutOfScope(t *testing.T) {
	db := demoDB(t)
	s := postgres.NewPlanStore(db)
	status := plan.StatusCompleted
	_, _, err := s.SetPlan(t.Context(), auth.Areas("57"), plan.Change{Key: plan.Key{VillageCode: "50040108", FiscalYear: 2564}, Status: &status})
	if err == nil {
		t.Fatal("set a plan outside the scope")
	}
	if n := count(t, db, `SELECT count(*) FROM village_plan WHERE village_code = '50040108' AND status = 'COMPLETED'`); n != 0 {
		t.Error("the plan was changed")
	}
}

// What the foreign keys of the ingestion tables protected is kept by triggers:
// batches are never deleted, and an agency that asserts anything or holds source
// records stays.
// TestLargeBatch_TablesAnalysed holds that a batch of analyseAfterRows records or
// more leaves the statistics of the tables it wrote current (here with the size
// lowered to one record): the assertions' row count as the planner sees it is the
// table's, where a smaller batch leaves it as it was.
func TestLargeBatch_TablesAnalysed(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	store := postgres.NewIngestStore(db, postgres.NewAreaStore(db))
	seen := func() (planned, actual int) {
		if err := db.Pool.QueryRow(ctx, `SELECT (SELECT reltuples::int FROM pg_class WHERE oid = 'assertion'::regclass), (SELECT count(*) FROM assertion)`).
			Scan(&planned, &actual); err != nil {
			t.Fatal(err)
		}
		return planned, actual
	}
	send := func(sourceID string, households int) {
		b, err := store.UpsertVillages(ctx, auth.All(), postgres.Sender{Agency: "MOI-OPS", Subject: "test", Channel: ingest.ChannelAPI},
			[]ingest.VillageRecord{{SourceID: sourceID, Code: "50040103", NameTh: "บ้านห้วยน้ำริน", Households: &households}}, false)
		if err != nil || !b.Applied {
			t.Fatalf("batch: %+v %v", b, err)
		}
	}
	before, _ := seen()
	send("stats-1", 101)
	if planned, actual := seen(); planned != before || actual == before {
		t.Fatalf("a small batch: the planner sees %d assertions (%d before), there are %d; want it unchanged and the count moved", planned, before, actual)
	}
	defer func(n int) { *postgres.AnalyseAfterRows = n }(*postgres.AnalyseAfterRows)
	*postgres.AnalyseAfterRows = 1
	send("stats-1", 102)
	if planned, actual := seen(); planned != actual {
		t.Errorf("after a large batch the planner sees %d assertions, there are %d", planned, actual)
	}
}

// TestIngestKeys_InByteOrder holds that every key column a staged record's key or
// sourceId (COLLATE "C") is compared with is in byte order too: compared across
// collations, the comparison is made in "C", which an index of another collation
// cannot answer, and each small batch read every row of its kind (migration 00036).
func TestIngestKeys_InByteOrder(t *testing.T) {
	db := demoDB(t)
	rows, _ := db.Pool.Query(t.Context(), `SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c
		JOIN pg_class r ON r.relname = c.table_name AND r.relkind = 'r' AND r.relnamespace = 'public'::regnamespace
		WHERE c.table_schema = 'public' AND c.data_type = 'text' AND c.column_name IN ('entity_key', 'ingest_key', 'source_id', 'entity', 'field')
			AND coalesce(c.collation_name, '') <> 'C' AND c.table_name NOT LIKE '%_version'`)
	others, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(others) > 0 {
		t.Errorf("key columns not in byte order (COLLATE \"C\"): %v", others)
	}
}

// TestBudgetLine_InItsItemsVillage holds that a budget line of a plan item is in
// the item's village: given no area, it takes the village; given another area, the
// insert is refused whole; moved to another item, it follows the item.
func TestBudgetLine_InItsItemsVillage(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	var item, other int64
	var village, otherVillage string
	if err := db.Pool.QueryRow(ctx, `SELECT a.id, av.village_code, b.id, bv.village_code
		FROM plan_item a JOIN village_plan av ON av.id = a.village_plan_id,
			plan_item b JOIN village_plan bv ON bv.id = b.village_plan_id
		WHERE av.village_code <> bv.village_code ORDER BY a.id, b.id LIMIT 1`).Scan(&item, &village, &other, &otherVillage); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, plan_item_id, area_code)
		VALUES (2566, 1000, 'AGENCY_CORE', 'APPROVED', 'CDD', $1, $2) RETURNING id, area_code`
	var id int64
	var area string
	if err := db.Pool.QueryRow(ctx, insert, item, nil).Scan(&id, &area); err != nil || area != village {
		t.Fatalf("a line given no area: area %q (%v), want its item's village %s", area, err, village)
	}
	var before int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM budget_line`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	_, err := db.Pool.Exec(ctx, `INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, plan_item_id, area_code)
		VALUES (2566, 1, 'AGENCY_CORE', 'APPROVED', 'CDD', $1, $2), (2566, 2, 'AGENCY_CORE', 'APPROVED', 'CDD', $1, $3)`, item, village, otherVillage)
	if err == nil || !strings.Contains(err.Error(), "is not its plan item's village") || !strings.Contains(err.Error(), "23514") {
		t.Errorf("a line in another village than its item's: %v, want a check violation", err)
	}
	var after int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM budget_line`).Scan(&after); err != nil || after != before {
		t.Errorf("%d lines after a refused insert, %d before (%v)", after, before, err)
	}
	if err := db.Pool.QueryRow(ctx, `UPDATE budget_line SET plan_item_id = $2 WHERE id = $1 RETURNING area_code`, id, other).Scan(&area); err != nil || area != otherVillage {
		t.Errorf("a line moved to another item: area %q (%v), want %s", area, err, otherVillage)
	}
}

// TestDisagreements_KeptByTheWrites holds the disagreements the writes keep equal
// to those the assertions hold, through batches of villages and of records by two
// agencies that disagree, agree and disagree again, and an undo.
func TestDisagreements_KeptByTheWrites(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	store := postgres.NewIngestStore(db, postgres.NewAreaStore(db))
	kept := func(step string, want int) {
		t.Helper()
		var n, differ int
		if err := db.Pool.QueryRow(ctx, `WITH held AS (SELECT entity, entity_key, field, min(area_code) AS area_code FROM assertion
				GROUP BY 1, 2, 3 HAVING count(DISTINCT value) > 1)
			SELECT (SELECT count(*) FROM disagreement),
				(SELECT count(*) FROM ((TABLE held EXCEPT TABLE disagreement) UNION ALL (TABLE disagreement EXCEPT TABLE held)) x)`).Scan(&n, &differ); err != nil {
			t.Fatal(err)
		}
		if n != want || differ != 0 {
			t.Errorf("%s: %d disagreements kept (want %d), %d differing from the assertions'", step, n, want, differ)
		}
	}
	var batches []int64
	village := func(agency string, households int) {
		t.Helper()
		b, err := store.UpsertVillages(ctx, auth.All(), postgres.Sender{Agency: agency, Subject: "test", Channel: ingest.ChannelAPI},
			[]ingest.VillageRecord{{SourceID: "d-" + agency, Code: "50040103", NameTh: "บ้านห้วยน้ำริน", Households: &households}}, false)
		if err != nil || !b.Applied {
			t.Fatalf("batch: %+v %v", b, err)
		}
		batches = append(batches, *b.ID)
	}
	item := func(agency, title string) {
		t.Helper()
		b, err := store.UpsertRecords(ctx, ingest.Kinds["plan_item"], postgres.Writer{Scope: auth.All()},
			postgres.Sender{Agency: agency, Subject: "test", Channel: ingest.ChannelAPI},
			[]ingest.Raw{{"sourceId": "d-" + agency, "villageCode": "50040103", "fiscalYear": "2564", "position": "1", "title": title, "category": "INFRASTRUCTURE"}}, false)
		if err != nil || !b.Applied {
			t.Fatalf("batch: %+v %v %s: %s", b, err, *b.Results[0].Field, *b.Results[0].Message)
		}
		batches = append(batches, *b.ID)
	}
	kept("before", 0)
	village("MOI-OPS", 100)
	kept("one agency", 0)
	village("PO-50", 110)
	kept("two agencies apart", 1)
	village("PO-50", 100)
	kept("two agencies agreeing", 0)
	village("PO-50", 120)
	kept("apart again", 1)
	if _, err := store.UndoBatch(ctx, func(string) auth.Scope { return auth.All() }, "test", "PO-50", true, batches[len(batches)-1]); err != nil {
		t.Fatal(err)
	}
	kept("the last batch undone", 0)
	item("PO-50", "ประปาหมู่บ้าน")
	item("MFLF", "ประปาภูเขา")
	kept("two agencies' titles", 1)
	item("MFLF", "ประปาหมู่บ้าน")
	kept("the same title", 0)
}

func TestIngestTrail_Kept(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	if _, err := db.Pool.Exec(ctx, `INSERT INTO agency (code, name_th, kind) VALUES ('TEST-AG', 'ทดสอบ', 'FOUNDATION'), ('TEST-AG2', 'ทดสอบ', 'FOUNDATION')`); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewIngestStore(db, postgres.NewAreaStore(db))
	households := 99
	// villages: no table but the trail refers to the sending agency
	b, err := store.UpsertVillages(ctx, auth.All(), postgres.Sender{Agency: "TEST-AG", Subject: "test", Channel: ingest.ChannelAPI},
		[]ingest.VillageRecord{{SourceID: "v1", Code: "50040103", NameTh: "บ้านห้วยน้ำริน", Households: &households}}, false)
	if err != nil || !b.Applied {
		t.Fatalf("batch: %+v %v", b, err)
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM import_batch WHERE id = $1`, *b.ID); err == nil {
		t.Error("a batch was deleted")
	}
	// its source records alone keep it (here without its assertions, in a transaction rolled back)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM assertion WHERE agency_code = 'TEST-AG'`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM agency WHERE code = 'TEST-AG'`); err == nil || !strings.Contains(err.Error(), "has sent records") {
		t.Errorf("an agency with source records deleted: %v", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// without them, its assertions keep it
	if _, err := db.Pool.Exec(ctx, `DELETE FROM source_record WHERE agency_code = 'TEST-AG'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM agency WHERE code = 'TEST-AG'`); err == nil || !strings.Contains(err.Error(), "has sent records") {
		t.Errorf("an agency with assertions deleted: %v", err)
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM agency WHERE code = 'TEST-AG2'`); err != nil {
		t.Errorf("an agency without records: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM import_batch`); n != 1 {
		t.Errorf("%d batches", n)
	}
}

// The summaries kept by the writes always equal what the base tables say, after
// inserts, updates and deletes of every kind (statement triggers, migration 00017).
func TestSummaries_FollowTheWrites(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	for _, sql := range []string{
		`UPDATE budget_line SET amount = amount + 1, status = 'DISBURSED' WHERE id % 3 = 0`,
		`DELETE FROM budget_line WHERE id % 5 = 0`,
		`INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, program_code, area_code) VALUES
			(2565, 100, 'OTHER', 'REQUESTED', 'ONCB', 'ROIJAIRAK-EXP-2564', '50'), (2565, 50, 'OTHER', 'REQUESTED', 'ONCB', 'ROIJAIRAK-EXP-2564', NULL)`,
		`UPDATE village_plan SET status = 'COMPLETED', participation_rate = 80, completed_on = '2021-06-01' WHERE id % 4 = 0`,
		`INSERT INTO area (code, parent_code, moo, name_th) VALUES ('50040177', '500401', 77, 'บ้านใหม่')`,
		`INSERT INTO village_plan (village_code, fiscal_year, status) VALUES ('50040177', 2564, 'IN_PROGRESS')`,
		`DELETE FROM village_plan WHERE village_code = '50040177'`,
		`DELETE FROM area WHERE code = '50040177'`,
		`INSERT INTO area (code, parent_code, moo, name_th) VALUES ('50040178', '500401', 78, 'บ้านใหม่อีก')`,
		// plans' totals: a line moved to another item, an item (and its lines) and a
		// plan (and its items and lines) deleted, an item moved to another plan
		`UPDATE budget_line SET plan_item_id = (SELECT max(id) FROM plan_item) WHERE id = (SELECT min(id) FROM budget_line WHERE plan_item_id IS NOT NULL)`,
		`DELETE FROM plan_item WHERE id = (SELECT min(plan_item_id) FROM budget_line)`,
		`DELETE FROM village_plan WHERE id = (SELECT max(pi.village_plan_id) FROM plan_item pi JOIN budget_line bl ON bl.plan_item_id = pi.id)`,
		`UPDATE plan_item SET village_plan_id = (SELECT min(id) FROM village_plan), position = 99 WHERE id = (SELECT max(plan_item_id) FROM budget_line)`,
	} {
		if _, err := db.Pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	for name, sql := range map[string]string{
		"budget totals": `(SELECT fiscal_year, coalesce(left(area_code, 4), ''), source, status, agency_code, sum(amount), count(*) FROM budget_line GROUP BY 1, 2, 3, 4, 5
			EXCEPT SELECT fiscal_year, area_code, source, status, agency_code, amount, lines FROM budget_total WHERE lines > 0)
			UNION ALL (SELECT fiscal_year, area_code, source, status, agency_code, amount, lines FROM budget_total WHERE lines > 0
			EXCEPT SELECT fiscal_year, coalesce(left(area_code, 4), ''), source, status, agency_code, sum(amount), count(*) FROM budget_line GROUP BY 1, 2, 3, 4, 5)`,
		"plan counts": `(SELECT fiscal_year, left(village_code, 4), status, count(*), count(*) FILTER (WHERE status = 'COMPLETED' AND participation_rate >= 75) FROM village_plan GROUP BY 1, 2, 3
			EXCEPT SELECT fiscal_year, area_code, status, plans, meeting_target FROM plan_count WHERE plans > 0)
			UNION ALL (SELECT fiscal_year, area_code, status, plans, meeting_target FROM plan_count WHERE plans > 0
			EXCEPT SELECT fiscal_year, left(village_code, 4), status, count(*), count(*) FILTER (WHERE status = 'COMPLETED' AND participation_rate >= 75) FROM village_plan GROUP BY 1, 2, 3)`,
		"budget totals by province": `(SELECT fiscal_year, coalesce(left(area_code, 2), ''), source, status, agency_code, sum(amount), count(*) FROM budget_line GROUP BY 1, 2, 3, 4, 5
			EXCEPT SELECT fiscal_year, area_code, source, status, agency_code, amount, lines FROM budget_total_province WHERE lines > 0)
			UNION ALL (SELECT fiscal_year, area_code, source, status, agency_code, amount, lines FROM budget_total_province WHERE lines > 0
			EXCEPT SELECT fiscal_year, coalesce(left(area_code, 2), ''), source, status, agency_code, sum(amount), count(*) FROM budget_line GROUP BY 1, 2, 3, 4, 5)`,
		"budget totals of the country": `(SELECT fiscal_year, source, status, agency_code, sum(amount), count(*) FROM budget_line GROUP BY 1, 2, 3, 4
			EXCEPT SELECT fiscal_year, source, status, agency_code, amount, lines FROM budget_total_country WHERE lines > 0)
			UNION ALL (SELECT fiscal_year, source, status, agency_code, amount, lines FROM budget_total_country WHERE lines > 0
			EXCEPT SELECT fiscal_year, source, status, agency_code, sum(amount), count(*) FROM budget_line GROUP BY 1, 2, 3, 4)`,
		"village counts by district": `(SELECT left(parent_code, 4), count(*), count(DISTINCT parent_code) FROM area WHERE level = 'VILLAGE' GROUP BY 1
			EXCEPT SELECT area_code, villages, subdistricts FROM village_count_district WHERE villages > 0)
			UNION ALL (SELECT area_code, villages, subdistricts FROM village_count_district WHERE villages > 0
			EXCEPT SELECT left(parent_code, 4), count(*), count(DISTINCT parent_code) FROM area WHERE level = 'VILLAGE' GROUP BY 1)`,
		"plans' budget totals": `(SELECT pi.village_plan_id, sum(bl.amount), count(*) FROM budget_line bl JOIN plan_item pi ON pi.id = bl.plan_item_id GROUP BY 1
			EXCEPT SELECT village_plan_id, amount, lines FROM plan_budget_total WHERE lines > 0)
			UNION ALL (SELECT village_plan_id, amount, lines FROM plan_budget_total WHERE lines > 0
			EXCEPT SELECT pi.village_plan_id, sum(bl.amount), count(*) FROM budget_line bl JOIN plan_item pi ON pi.id = bl.plan_item_id GROUP BY 1)
			UNION ALL (SELECT village_plan_id, amount, lines FROM plan_budget_total WHERE lines < 0 OR (lines = 0 AND amount <> 0))`,
		"village counts": `(SELECT parent_code, count(*) FROM area WHERE level = 'VILLAGE' GROUP BY 1 EXCEPT SELECT area_code, villages FROM village_count WHERE villages > 0)
			UNION ALL (SELECT area_code, villages FROM village_count WHERE villages > 0 EXCEPT SELECT parent_code, count(*) FROM area WHERE level = 'VILLAGE' GROUP BY 1)`,
	} {
		if n := count(t, db, `SELECT count(*) FROM (`+sql+`) d`); n != 0 {
			t.Errorf("%s: %d rows differ from the base tables", name, n)
		}
	}
	// and the stores answer the same from the summaries as from the base tables
	budgets := postgres.NewBudgetStore(db)
	fromTotals, err := budgets.Summary(ctx, auth.All(), 2564, []budget.Dimension{budget.ByProvince, budget.BySource}, budget.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	// a subdistrict scope is answered from the base tables
	fromLines, err := budgets.Summary(ctx, auth.Areas("500401", "50"), 2564, []budget.Dimension{budget.ByProvince, budget.BySource}, budget.Filter{AreaCode: ptr("50")})
	if err != nil {
		t.Fatal(err)
	}
	var chiangMai []string
	for _, r := range fromTotals.Rows {
		if r.ProvinceCode != nil && *r.ProvinceCode == "50" {
			chiangMai = append(chiangMai, r.Amount.String()+"/"+string(*r.Source))
		}
	}
	var base []string
	for _, r := range fromLines.Rows {
		base = append(base, r.Amount.String()+"/"+string(*r.Source))
	}
	if !cmp.Equal(chiangMai, base) || len(base) == 0 {
		t.Errorf("Chiang Mai from the totals %v, from the lines %v", chiangMai, base)
	}
	// the whole country by source and agency: from its totals, and (as of now) from
	// the lines themselves
	bySourceAgency := []budget.Dimension{budget.BySource, budget.ByAgency}
	fromCountry, err := budgets.Summary(ctx, auth.All(), 2565, bySourceAgency, budget.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	fromVersions, err := budgets.Summary(ctx, auth.All(), 2565, bySourceAgency, budget.Filter{AsOf: &now})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fromVersions, fromCountry); diff != "" || len(fromCountry.Rows) == 0 {
		t.Errorf("the country by source and agency (-from the lines +from its totals):\n%s", diff)
	}
}

func ptr[T any](v T) *T { return &v }

// A row is its own current version; each change of it in anything but
// updated_at, and its delete, leaves the version it ends, with the time it was in
// force. An update that changes nothing but updated_at leaves none, also among the
// rows of one statement, and so does a row inserted and changed in one transaction.
// TestRowVersions_ValidFromWatchesEveryColumn holds that each versioned table's
// trigger moving valid_from compares every column but updated_at, valid_from and
// the generated ones: a column added to the table and not to the trigger would
// change the row without ending its version.
func TestRowVersions_ValidFromWatchesEveryColumn(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	for _, table := range []string{"village_plan", "plan_item", "facilitator", "budget_line"} {
		var moved, kept string
		if err := db.Pool.QueryRow(ctx, `SELECT
				(SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $1 || '_version_valid_from'),
				(SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = $1 || '_version_valid_kept')`,
			table).Scan(&moved, &kept); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		rows, _ := db.Pool.Query(ctx, `SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
			AND attgenerated = '' AND attname NOT IN ('updated_at', 'valid_from')`, table)
		columns, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(columns) < 5 {
			t.Fatalf("%s: columns %v (%v)", table, columns, err)
		}
		for _, c := range columns {
			for _, def := range []string{moved, kept} {
				if !strings.Contains(def, "(old."+c+" IS DISTINCT FROM new."+c+")") {
					t.Errorf("%s: column %s is not compared by %s", table, c, def)
				}
			}
		}
	}
}

func TestRowVersions(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM village_plan ORDER BY id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	planVersions := func() (n int) {
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM village_plan_version WHERE id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := planVersions()
	for _, sql := range []string{
		`UPDATE village_plan SET status = 'IN_PROGRESS', completed_on = NULL WHERE id = $1`,
		`UPDATE village_plan SET updated_at = now() + interval '1 second' WHERE id = $1`,
		`UPDATE village_plan SET status = 'NOT_STARTED' WHERE id = $1`,
		// a row rewritten as it was keeps its start, whatever the statement sets
		`UPDATE village_plan SET valid_from = now() - interval '1 day' WHERE id = $1`,
	} {
		if _, err := db.Pool.Exec(ctx, sql, id); err != nil {
			t.Fatal(err)
		}
	}
	// the last version ended is IN_PROGRESS, ending when the row became valid
	var last string
	var endsWhenRowBegins bool
	if err := db.Pool.QueryRow(ctx, `SELECT v.row->>'status', upper(v.valid) = p.valid_from
		FROM village_plan_version v JOIN village_plan p ON p.id = v.id WHERE v.id = $1 ORDER BY upper(v.valid) DESC LIMIT 1`, id).Scan(&last, &endsWhenRowBegins); err != nil {
		t.Fatal(err)
	}
	if n := planVersions(); n != before+2 || last != "IN_PROGRESS" || !endsWhenRowBegins {
		t.Errorf("%d -> %d versions, the last one %s, ending when the row begins: %v; want two more, IN_PROGRESS, true", before, n, last, endsWhenRowBegins)
	}
	// one statement over a plan's items, of which one changes: one version, its old self
	itemVersions := func() (n int) {
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM plan_item_version v
			WHERE (v.row->>'village_plan_id')::bigint = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var items int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM plan_item WHERE village_plan_id = $1`, id).Scan(&items); err != nil || items < 2 {
		t.Fatalf("the plan has %d items (%v); the test needs two", items, err)
	}
	itemsBefore := itemVersions()
	if _, err := db.Pool.Exec(ctx, `UPDATE plan_item SET title = CASE WHEN position = 1 THEN title || ' (แก้ไข)' ELSE title END,
		updated_at = now() + interval '2 seconds' WHERE village_plan_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	var oldTitle, title string
	if err := db.Pool.QueryRow(ctx, `SELECT v.row->>'title', pi.title FROM plan_item_version v JOIN plan_item pi ON pi.id = v.id
		WHERE pi.village_plan_id = $1 AND pi.position = 1 ORDER BY upper(v.valid) DESC LIMIT 1`, id).Scan(&oldTitle, &title); err != nil {
		t.Fatal(err)
	}
	if n := itemVersions(); n != itemsBefore+1 || title != oldTitle+" (แก้ไข)" {
		t.Errorf("the plan's %d items: %d -> %d versions, the changed one's %q now %q; want one more, its old title", items, itemsBefore, n, oldTitle, title)
	}
	// inserted and changed in one transaction: never in force as it was first written
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var newItem int64
	if err := tx.QueryRow(ctx, `INSERT INTO plan_item (village_plan_id, position, title, category) VALUES ($1, 99, 'ชั่วคราว', 'OTHER') RETURNING id`, id).Scan(&newItem); err != nil {
		t.Fatal(err)
	}
	var newVersions int
	if err := tx.QueryRow(ctx, `WITH u AS (UPDATE plan_item SET title = 'แก้แล้ว' WHERE id = $1 RETURNING id) SELECT count(*) FROM u`, newItem).Scan(&newVersions); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM plan_item_version WHERE id = $1`, newItem).Scan(&newVersions); err != nil || newVersions != 0 {
		t.Errorf("an item inserted and changed in one transaction has %d versions (%v), want none", newVersions, err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{
		`DELETE FROM budget_line WHERE plan_item_id IN (SELECT id FROM plan_item WHERE village_plan_id = $1)`,
		`DELETE FROM plan_item WHERE village_plan_id = $1`,
		`DELETE FROM facilitator WHERE village_plan_id = $1`,
		`DELETE FROM village_plan WHERE id = $1`,
	} {
		if _, err := db.Pool.Exec(ctx, sql, id); err != nil {
			t.Fatal(err)
		}
	}
	// the deleted plan's last state is its last version
	if err := db.Pool.QueryRow(ctx, `SELECT v.row->>'status' FROM village_plan_version v WHERE v.id = $1 ORDER BY upper(v.valid) DESC LIMIT 1`, id).Scan(&last); err != nil || last != "NOT_STARTED" {
		t.Errorf("a deleted plan's last version: %q (%v), want NOT_STARTED", last, err)
	}
	if n := planVersions(); n != before+3 {
		t.Errorf("a deleted plan has %d versions, want %d", n, before+3)
	}
}

// A value's arrival read from its assertion (none written to the history yet)
// is history like any other: inside the reader's scope only.
func TestHistory_ArrivalsWithinScope(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	store := postgres.NewIngestStore(db, postgres.NewAreaStore(db))
	households := 120
	b, err := store.UpsertVillages(ctx, auth.All(), postgres.Sender{Agency: "MOI-OPS", Subject: "test", Channel: ingest.ChannelAPI},
		[]ingest.VillageRecord{{SourceID: "v1", Code: "50040103", NameTh: "บ้านห้วยน้ำริน", Households: &households}}, false)
	if err != nil || !b.Applied {
		t.Fatalf("batch: %+v %v", b, err)
	}
	if n := count(t, db, `SELECT count(*) FROM assertion_history WHERE entity_key = '50040103'`); n != 0 {
		t.Fatalf("%d history rows written for a first batch, want none", n)
	}
	ref := postgres.ObjectRef{Entity: "village", Key: "50040103"}
	fields := func(sc auth.Scope) []string {
		h, err := store.History(ctx, sc, []postgres.ObjectRef{ref})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range h[ref] {
			out = append(out, c.Field+"="+*c.NewValue)
		}
		slices.Sort(out)
		return out
	}
	if got := fields(auth.Areas("50")); !slices.Contains(got, "households=120") {
		t.Errorf("Chiang Mai reads %v, want the households' arrival", got)
	}
	if got := fields(auth.Areas("57")); len(got) != 0 {
		t.Errorf("Chiang Rai reads %v of a Chiang Mai village's history", got)
	}
}
