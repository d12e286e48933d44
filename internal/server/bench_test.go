package server_test

import (
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
)

// Benchmarks of the hot paths through the real handler on a real database: the
// demo data plus 500 seeded villages with plans, items and budget lines. Each
// reports the SQL statements one request runs. Results and method:
// docs/BENCHMARKS.md.

func benchQuery(b *testing.B, query string, vars map[string]any) {
	h := newBenchHub(b)
	b.ReportAllocs()
	b.ResetTimer()
	var statements int64
	for b.Loop() {
		r, n := h.do(b.Context(), query, vars)
		if len(r.Errors) > 0 {
			b.Fatal(r.Errors)
		}
		statements = n
	}
	b.ReportMetric(float64(statements), "statements/op")
}

const villagePage = `query($code: String!) { village(code: $code) { code nameTh moo households population
	subdistrict { nameTh } district { nameTh } province { nameTh }
	plan(fiscalYear: 2564) { status scheduledStart scheduledEnd completedOn participationRate budgetTotal
		facilitators { role name agency { nameTh } }
		items { title category responsibleAgency { nameTh } budgetTotal budgetLines { amount source status agency { code } } } } } }`

func BenchmarkVillagePage(b *testing.B) {
	benchQuery(b, villagePage, map[string]any{"code": "50040103"})
}

const districtList = `query($district: String!, $n: Int) { district(code: $district) { nameTh
	villages(first: $n) { totalCount nodes { code nameTh moo plan(fiscalYear: 2566) { status budgetTotal } } } } }`

func BenchmarkDistrictList50(b *testing.B) {
	benchQuery(b, districtList, map[string]any{"district": "5701", "n": 50})
}

const nestedPage = `query($n: Int) { villages(filter: {areaCode: "57"}, first: $n) { totalCount nodes {
	code nameTh subdistrict { nameTh } district { nameTh province { nameTh } }
	plans { status budgetTotal facilitators { role }
		items { title budgetLines { amount agency { code } } } } } } }`

func BenchmarkNestedPage100(b *testing.B) {
	benchQuery(b, nestedPage, map[string]any{"n": 100})
}

func BenchmarkProgramProgress(b *testing.B) {
	benchQuery(b, `{ program(code: "ROIJAIRAK-EXP-2564") { progress { villagesTargeted plansCompleted plansNotStarted
		byProvince { area { code nameTh } villagesTargeted plansCompleted } byDistrict { area { code nameTh } villagesTargeted plansCompleted } } } }`, nil)
}

func BenchmarkBudgetSummary(b *testing.B) {
	benchQuery(b, `{ budgetSummary(fiscalYear: 2566, groupBy: [PROVINCE, SOURCE]) { total rows { province { nameTh } source amount lineCount } } }`, nil)
}

func BenchmarkProvinces(b *testing.B) {
	benchQuery(b, `{ provinces { code } }`, nil)
}

func BenchmarkTypename(b *testing.B) {
	benchQuery(b, `{ __typename }`, nil)
}

// BenchmarkUpsertVillages5000 sends MOI batches of 5,000 village records through
// the API: every iteration changes every record's households, so each record is
// judged, asserted, recorded in the history and shown.
func BenchmarkUpsertVillages5000(b *testing.B) {
	h := newHub(b, true)
	var codes []string
	rows, err := h.db.Pool.Query(b.Context(), `SELECT code FROM area WHERE length(code) = 6 ORDER BY code LIMIT 5000`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		codes = append(codes, c+"90")
	}
	tok := h.mint(auth.TokenRequest{Subject: "moi", Agency: "MOI-OPS", Roles: []auth.Role{auth.RoleMOI}})
	m := h.as(tok)
	round := 0
	records := func() []map[string]any {
		round++
		out := make([]map[string]any, len(codes))
		for i, c := range codes {
			out[i] = map[string]any{"sourceId": "moi-" + c, "code": c, "nameTh": "บ้านทดสอบ " + c, "households": round*10 + i%50}
		}
		return out
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		in := map[string]any{"in": map[string]any{"records": records()}}
		b.StartTimer()
		r, _ := m.do(b.Context(), upsertVillages, in)
		if len(r.Errors) > 0 {
			b.Fatal(r.Errors)
		}
	}
	b.ReportMetric(float64(len(codes)), "records/op")
}
