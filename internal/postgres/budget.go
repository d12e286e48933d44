package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/shopspring/decimal"
)

// BudgetStore reads budget lines and totals over them. A line is visible when the
// area where its money lands is inside the caller's scope; lines that name no area
// (national program lines) are visible only to an unlimited scope.
type BudgetStore struct{ db *DB }

// NewBudgetStore returns a BudgetStore on db.
func NewBudgetStore(db *DB) *BudgetStore { return &BudgetStore{db: db} }

const budgetColumns = `bl.id, bl.fiscal_year, bl.amount, bl.source, bl.status, bl.agency_code, bl.plan_item_id,
	bl.program_code, bl.area_code, bl.description, bl.is_demo, bl.ingest_key`

func budgetScope(sc auth.Scope) (string, pgx.NamedArgs) {
	if sc.IsAll() {
		return "TRUE", nil
	}
	return "bl.area_code IS NOT NULL AND " + sc.AreaPredicate("bl.area_code"), sc.NamedArgs()
}

func budgetQuery(sc auth.Scope, f budget.Filter) (*query, error) {
	return budgetQueryOn(sc, f, false)
}

// budgetQueryOn builds the filter of budget lines, or of their totals by district
// (budget_total, where a line of no area has area code ”).
func budgetQueryOn(sc auth.Scope, f budget.Filter, totals bool) (*query, error) {
	q := newQuery().and(budgetScope(sc))
	if totals && !sc.IsAll() {
		q.and("bl.area_code <> ''", nil)
	}
	if f.FiscalYear != nil {
		q.and("bl.fiscal_year = @fy", pgx.NamedArgs{"fy": *f.FiscalYear})
	}
	if err := q.within("bl.area_code", f.AreaCode); err != nil {
		return nil, err
	}
	if f.AgencyCode != nil {
		q.and("bl.agency_code = @agency", pgx.NamedArgs{"agency": *f.AgencyCode})
	}
	if f.ProgramCode != nil {
		q.and(`(bl.program_code = @program OR (bl.plan_item_id IS NOT NULL AND bl.area_code IN
			(SELECT pv.village_code FROM program_village pv WHERE pv.program_code = @program)))`,
			pgx.NamedArgs{"program": *f.ProgramCode})
	}
	if f.Source != nil {
		q.and("bl.source = @source", pgx.NamedArgs{"source": string(*f.Source)})
	}
	if f.Status != nil {
		q.and("bl.status = @status", pgx.NamedArgs{"status": string(*f.Status)})
	}
	return q, nil
}

// Lines returns a page of the lines matching f that scope may see, by fiscal year
// then id. The sort key of a line is LineKey.
func (s *BudgetStore) Lines(ctx context.Context, sc auth.Scope, f budget.Filter, p Page) ([]*budget.Line, error) {
	q, err := budgetQuery(sc, f)
	if err != nil {
		return nil, err
	}
	if p.After != "" {
		parts, err := p.afterParts(2)
		if err != nil {
			return nil, err
		}
		fy, err1 := afterInt64(parts[0])
		id, err2 := afterInt64(parts[1])
		if err1 != nil || err2 != nil {
			return nil, badCursor()
		}
		q.and("(bl.fiscal_year, bl.id) > (@after_fy, @after_id)", pgx.NamedArgs{"after_fy": fy, "after_id": id})
	}
	q.args["limit"] = p.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+budgetColumns+` FROM `+versioned("budget_line", f.AsOf, q.args, rowsWithin("area_code", q.args)...)+` bl`+q.where()+` ORDER BY bl.fiscal_year, bl.id LIMIT @limit`, q.args)
	ls, err := collectLines(rows)
	return ls, pgError(err, "budget lines")
}

// LineKey is the sort key of a line in Lines.
func LineKey(l *budget.Line) string {
	return Key(strconv.Itoa(l.FiscalYear), strconv.FormatInt(l.ID, 10))
}

// CountLines counts the lines matching f that scope may see, and sums their amounts.
func (s *BudgetStore) CountLines(ctx context.Context, sc auth.Scope, f budget.Filter) (int, decimal.Decimal, error) {
	q, err := budgetQuery(sc, f)
	if err != nil {
		return 0, decimal.Decimal{}, err
	}
	var n int
	var sum decimal.Decimal
	err = s.db.Pool.QueryRow(ctx, `SELECT count(*), COALESCE(sum(bl.amount), 0) FROM `+versioned("budget_line", f.AsOf, q.args, rowsWithin("area_code", q.args)...)+` bl`+q.where(), q.args).Scan(&n, &sum)
	return n, sum, pgError(err, "count budget lines")
}

// LinesByID returns the lines with the given ids that scope may see.
func (s *BudgetStore) LinesByID(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]*budget.Line, error) {
	q := newQuery().and("bl.id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(budgetScope(sc))
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+budgetColumns+` FROM budget_line bl`+q.where(), q.args)
	ls, err := collectLines(rows)
	return byKey(ls, err, "budget lines by id", func(l *budget.Line) int64 { return l.ID })
}

// LinesByItem returns the lines funding the given plan items that scope may see.
func (s *BudgetStore) LinesByItem(ctx context.Context, sc auth.Scope, itemIDs []int64) (map[int64][]*budget.Line, error) {
	return s.LinesByItemAsOf(ctx, sc, itemIDs, nil)
}

// LinesByItemAsOf is LinesByItem as of an instant (now when nil).
func (s *BudgetStore) LinesByItemAsOf(ctx context.Context, sc auth.Scope, itemIDs []int64, asOf *time.Time) (map[int64][]*budget.Line, error) {
	q := newQuery().and("bl.plan_item_id = ANY(@ids)", pgx.NamedArgs{"ids": itemIDs}).and(budgetScope(sc))
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+budgetColumns+` FROM `+versioned("budget_line", asOf, q.args, rowsByKey("plan_item_id", "ids"))+` bl`+q.where()+` ORDER BY bl.plan_item_id, bl.fiscal_year, bl.id`, q.args)
	ls, err := collectLines(rows)
	return groupRows(ls, err, "budget lines by item", func(l *budget.Line) int64 { return *l.PlanItemID })
}

// TotalsByPlan returns the totals of the lines funding the items of the given plans
// that scope may see (zero for a plan without lines), as kept by the writes
// (plan_budget_total, migration 00030). A plan's lines all lie in its village
// (budget_line_set_area), so the caller sees all of them exactly when it sees the
// plan.
func (s *BudgetStore) TotalsByPlan(ctx context.Context, sc auth.Scope, planIDs []int64) (map[int64]decimal.Decimal, error) {
	q := newQuery().and("vp.id = ANY(@ids)", pgx.NamedArgs{"ids": planIDs}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	rows, err := s.db.Pool.Query(ctx, `SELECT vp.id, `+keptPlanTotal+` FROM village_plan vp`+q.where(), q.args)
	return collectPlanTotals(rows, err)
}

// keptPlanTotal is the budget total of plan vp, as kept by the writes.
const keptPlanTotal = `coalesce((SELECT t.amount FROM plan_budget_total t WHERE t.village_plan_id = vp.id), 0)`

// linesOfPlans narrows lines to those of any version of the items of the plans
// @ids (the join with the items as of the instant keeps the right ones).
var linesOfPlans = func() narrowing {
	items := `(SELECT i.id FROM plan_item i WHERE i.village_plan_id = ANY(@ids)
		UNION ALL SELECT iv.id FROM plan_item_version iv WHERE (iv.row->>'village_plan_id')::bigint = ANY(@ids))`
	return narrowing{"t.plan_item_id IN " + items, "(v.row->>'plan_item_id')::bigint IN " + items}
}()

// TotalsByPlanAsOf is TotalsByPlan as of an instant (now when nil).
func (s *BudgetStore) TotalsByPlanAsOf(ctx context.Context, sc auth.Scope, planIDs []int64, asOf *time.Time) (map[int64]decimal.Decimal, error) {
	q := newQuery().and("pi.village_plan_id = ANY(@ids)", pgx.NamedArgs{"ids": planIDs}).and(budgetScope(sc))
	rows, err := s.db.Pool.Query(ctx, `SELECT pi.village_plan_id, sum(bl.amount)
		FROM `+versioned("budget_line", asOf, q.args, linesOfPlans)+` bl
			JOIN `+versioned("plan_item", asOf, q.args, rowsByKey("village_plan_id", "ids"))+` pi ON pi.id = bl.plan_item_id`+q.where()+` GROUP BY 1`, q.args)
	return collectPlanTotals(rows, err)
}

// collectPlanTotals reads rows of a plan's id and its budget total.
func collectPlanTotals(rows pgx.Rows, err error) (map[int64]decimal.Decimal, error) {
	if err != nil {
		return nil, pgError(err, "budget totals by plan")
	}
	out := map[int64]decimal.Decimal{}
	var id int64
	var sum decimal.Decimal
	_, err = pgx.ForEachRow(rows, []any{&id, &sum}, func() error { out[id] = sum; return nil })
	return out, pgError(err, "budget totals by plan")
}

// Summary totals the lines of a fiscal year that scope may see, grouped by the given
// dimensions in order.
func (s *BudgetStore) Summary(ctx context.Context, sc auth.Scope, fiscalYear int, groupBy []budget.Dimension, f budget.Filter) (*budget.Summary, error) {
	if len(groupBy) == 0 {
		return nil, apperr.Invalid("groupBy", "name at least one dimension")
	}
	f.FiscalYear = &fiscalYear
	// at district grain or coarser the totals kept with the writes answer
	totals := f.AsOf == nil && f.ProgramCode == nil && districtGrained(sc, f.AreaCode)
	q, err := budgetQueryOn(sc, f, totals)
	if err != nil {
		return nil, err
	}
	from, lines, having := versioned("budget_line", f.AsOf, q.args, rowsWithin("area_code", q.args)...), "count(*)", ""
	if totals {
		// a total whose lines all went is kept at zero
		from, lines, having = "budget_total", "sum(bl.lines)", " HAVING sum(bl.lines) > 0"
		switch {
		case countryGrained(sc, groupBy, f.AreaCode):
			from = "budget_total_country"
		case provinceGrained(sc, groupBy, f.AreaCode):
			from = "budget_total_province"
		}
	}
	var cols []string
	seen := map[budget.Dimension]bool{}
	for _, d := range groupBy {
		if seen[d] {
			return nil, apperr.Invalid("groupBy", "dimension %s is named twice", d)
		}
		seen[d] = true
		col, ok := dimensionColumn[d]
		if !ok {
			return nil, apperr.Invalid("groupBy", "unknown dimension %s", d)
		}
		cols = append(cols, col)
	}
	list := strings.Join(cols, ", ")
	rows, err := s.db.Pool.Query(ctx, fmt.Sprintf(`SELECT %s, sum(bl.amount), %s FROM %s bl%s
		GROUP BY %s%s ORDER BY %s`, list, lines, from, q.where(), list, having, list), q.args)
	if err != nil {
		return nil, pgError(err, "budget summary")
	}
	sum := &budget.Summary{FiscalYear: fiscalYear, GroupBy: groupBy}
	defer rows.Close()
	for rows.Next() {
		var r budget.SummaryRow
		var source, status *string
		dest := make([]any, 0, len(groupBy)+2)
		for _, d := range groupBy {
			switch d {
			case budget.BySource:
				dest = append(dest, &source)
			case budget.ByStatus:
				dest = append(dest, &status)
			case budget.ByAgency:
				dest = append(dest, &r.AgencyCode)
			case budget.ByProvince:
				dest = append(dest, &r.ProvinceCode)
			case budget.ByDistrict:
				dest = append(dest, &r.DistrictCode)
			}
		}
		if err := rows.Scan(append(dest, &r.Amount, &r.LineCount)...); err != nil {
			return nil, pgError(err, "budget summary")
		}
		if source != nil {
			v := budget.Source(*source)
			r.Source = &v
		}
		if status != nil {
			v := budget.Status(*status)
			r.Status = &v
		}
		sum.Total = sum.Total.Add(r.Amount)
		sum.LineCount += r.LineCount
		sum.Rows = append(sum.Rows, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, pgError(err, "budget summary")
	}
	return sum, nil
}

// dimensionColumn is the SQL expression each dimension groups by.
var dimensionColumn = map[budget.Dimension]string{
	budget.BySource:   "bl.source",
	budget.ByStatus:   "bl.status",
	budget.ByAgency:   "bl.agency_code",
	budget.ByProvince: "nullif(left(bl.area_code, 2), '')",
	budget.ByDistrict: "CASE WHEN length(bl.area_code) >= 4 THEN left(bl.area_code, 4) END",
}
