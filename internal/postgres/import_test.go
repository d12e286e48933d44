package postgres_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// A file of many batches' worth of rows is checked on several goroutines: its bad
// rows are still named in the file's order, the first MaxFileErrors of them, with
// nothing written; its good rows go in each with its own values, including rows
// naming their village by its place, number or name rather than its code
// (resolved concurrently, the subdistricts' villages cached once).
func TestImportRecords_ManyBatchesInRowOrder(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()
	store := postgres.NewIngestStore(db, postgres.NewAreaStore(db))
	type place struct {
		code, name, province, district, subdistrict string
		fiscalYear, moo                             int
	}
	rows, err := db.Pool.Query(ctx, `SELECT v.code, v.name_th, p.name_th, d.name_th, s.name_th, vp.fiscal_year, v.moo
		FROM village_plan vp JOIN area v ON v.code = vp.village_code JOIN area s ON s.code = v.parent_code
		JOIN area d ON d.code = s.parent_code JOIN area p ON p.code = d.parent_code
		ORDER BY vp.village_code, vp.fiscal_year LIMIT 4`)
	if err != nil {
		t.Fatal(err)
	}
	var plans []place
	for rows.Next() {
		var p place
		if err := rows.Scan(&p.code, &p.name, &p.province, &p.district, &p.subdistrict, &p.fiscalYear, &p.moo); err != nil {
			t.Fatal(err)
		}
		plans = append(plans, p)
	}
	if rows.Err() != nil || len(plans) < 4 {
		t.Fatalf("the demo's plans: %v, %d", rows.Err(), len(plans))
	}
	const perPlan = 700 // positions 100–799 of each plan: 2,800 rows, eleven batches of checks
	title := func(p place, pos int) string {
		return fmt.Sprintf("งานที่ %s/%d/%d", p.code, p.fiscalYear, pos)
	}
	// file writes the CSV of the rows for which keep holds, bad (an unknown
	// category) where bad holds; it returns the file and the bad rows' numbers.
	file := func(keep, bad func(i int) bool) (string, []int) {
		var b strings.Builder
		b.WriteString("sourceId,villageCode,province,district,subdistrict,moo,villageName,fiscalYear,position,title,category\n")
		var badRows []int
		row := 1 // the header
		for i := range len(plans) * perPlan {
			if !keep(i) {
				continue
			}
			row++
			p, pos := plans[i/perPlan], 100+i%perPlan
			category := "HEALTH"
			if bad(i) {
				category, badRows = "NOPE", append(badRows, row)
			}
			switch i % 7 {
			case 0: // named by its place and number
				fmt.Fprintf(&b, "many-%d,,%s,%s,%s,%d,,%d,%d,%s,%s\n", i, p.province, p.district, p.subdistrict, p.moo, p.fiscalYear, pos, title(p, pos), category)
			case 1: // by its place and name: its subdistrict's villages looked up, once
				fmt.Fprintf(&b, "many-%d,,%s,%s,%s,,%s,%d,%d,%s,%s\n", i, p.province, p.district, p.subdistrict, p.name, p.fiscalYear, pos, title(p, pos), category)
			default:
				fmt.Fprintf(&b, "many-%d,%s,,,,,,%d,%d,%s,%s\n", i, p.code, p.fiscalYear, pos, title(p, pos), category)
			}
		}
		return b.String(), badRows
	}
	importFile := func(csv string) *postgres.FileImport {
		t.Helper()
		r, err := ingest.NewRecordReader(strings.NewReader(csv), ingest.FormatCSV, ingest.Kinds["plan_item"])
		if err != nil {
			t.Fatal(err)
		}
		out, err := store.ImportRecords(ctx, ingest.Kinds["plan_item"], postgres.Writer{Scope: auth.All()},
			postgres.Sender{Agency: "PO-50", Subject: "test", Channel: ingest.ChannelCLI}, r, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	items := func() int { return count(t, db, `SELECT count(*) FROM plan_item`) }
	before := items()
	all := func(int) bool { return true }
	faultRows := func(out *postgres.FileImport) []int {
		var rows []int
		for _, e := range out.Errors {
			if e.Column != "category" {
				t.Errorf("row %d: column %q (%s), want category", e.Row, e.Column, e.Message)
			}
			rows = append(rows, e.Row)
		}
		return rows
	}

	// every fifth row bad, across every batch
	csv, badRows := file(all, func(i int) bool { return i%5 == 3 })
	out := importFile(csv)
	if out.Applied || out.Rows != len(plans)*perPlan || out.Rejected != len(badRows) || !slices.Equal(faultRows(out), badRows) {
		t.Fatalf("a fifth bad: applied %v, %d rows, %d rejected (want %d), faults at rows %v…, want %v…",
			out.Applied, out.Rows, out.Rejected, len(badRows), faultRows(out)[:min(5, len(out.Errors))], badRows[:5])
	}
	if n := items(); n != before {
		t.Fatalf("a rejected file wrote %d items", n-before)
	}

	// more bad rows than are listed: the first MaxFileErrors of them, in order
	csv, badRows = file(func(i int) bool { return i < postgres.MaxFileErrors+200 }, all)
	out = importFile(csv)
	if out.Rejected != postgres.MaxFileErrors+200 || !slices.Equal(faultRows(out), badRows[:postgres.MaxFileErrors]) {
		t.Fatalf("all bad: %d rejected, %d listed from row %v", out.Rejected, len(out.Errors), faultRows(out)[:min(3, len(out.Errors))])
	}

	// the good rows: each item with its own title
	csv, _ = file(func(i int) bool { return i%5 != 3 }, func(int) bool { return false })
	out = importFile(csv)
	good := len(plans) * perPlan * 4 / 5
	if !out.Applied || out.Rejected != 0 || out.Created+out.Updated != good {
		t.Fatalf("good rows: %+v", out)
	}
	if n := items(); n != before+good {
		t.Errorf("%d items written, want %d", n-before, good)
	}
	if wrong := count(t, db, `SELECT count(*) FROM plan_item i JOIN village_plan vp ON vp.id = i.village_plan_id
		WHERE i.position >= 100 AND i.title <> 'งานที่ ' || vp.village_code || '/' || vp.fiscal_year || '/' || i.position`); wrong != 0 {
		t.Errorf("%d items have another row's title", wrong)
	}
}
