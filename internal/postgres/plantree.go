package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/shopspring/decimal"
)

// PlanTree names the parts of their trees that a read of plans also wants: a page
// that shows a plan with its items and their budget lines reads them with the plans,
// in one round trip, instead of one level after the other.
type PlanTree struct {
	Items        bool // the plans' items
	Lines        bool // the items' budget lines (implies Items)
	Totals       bool // each plan's budget total
	Facilitators bool // the plans' facilitators
}

// planWithTotal is a plan read with its budget total.
type planWithTotal struct {
	plan.Plan
	Total decimal.Decimal
}

// PlanForest is plans read with the parts of their trees a PlanTree asked for.
// Every plan read has an entry in each part asked for, empty when it has none.
type PlanForest struct {
	Plans        map[plan.Key]*plan.Plan
	Items        map[int64][]*plan.Item        // by plan id
	Lines        map[int64][]*budget.Line      // by item id, for every item read
	Totals       map[int64]decimal.Decimal     // by plan id
	Facilitators map[int64][]*plan.Facilitator // by plan id
}

// PlanTreesByKey returns the plans with the given natural keys that scope may see,
// with the parts of their trees that want names: the same rows as PlansByKey,
// ItemsByPlan, LinesByItem, TotalsByPlan and FacilitatorsByPlan give, read as one
// pipelined batch. The totals are summed from the lines when the lines are read.
func (s *PlanStore) PlanTreesByKey(ctx context.Context, sc auth.Scope, keys []plan.Key, want PlanTree) (*PlanForest, error) {
	var b pgx.Batch
	f, want := queuePlanTrees(&b, sc, keys, want)
	if err := s.db.Pool.SendBatch(ctx, &b).Close(); err != nil {
		return nil, pgError(err, "plans with their trees")
	}
	f.fillIn(want)
	return f, nil
}

// VillagesWithPlanTrees returns the villages with the given codes that scope may
// see, as VillagesByCode does, and their plans of one fiscal year with the parts of
// their trees that want names, as PlanTreesByKey does: a village page's reads, in
// one round trip.
func (s *PlanStore) VillagesWithPlanTrees(ctx context.Context, sc auth.Scope, codes []string, fiscalYear int, want PlanTree) (map[string]*area.Village, *PlanForest, error) {
	var b pgx.Batch
	var villages map[string]*area.Village
	q := villagesByCode(sc, codes)
	b.Queue(`SELECT `+villageColumns+` FROM area v`+q.where(), q.args).Query(func(rows pgx.Rows) error {
		vs, err := collectVillages(rows)
		villages, err = byKey(vs, err, "villages by code", func(v *area.Village) string { return v.Code })
		return err
	})
	keys := make([]plan.Key, len(codes))
	for i, c := range codes {
		keys[i] = plan.Key{VillageCode: c, FiscalYear: fiscalYear}
	}
	f, want := queuePlanTrees(&b, sc, keys, want)
	if err := s.db.Pool.SendBatch(ctx, &b).Close(); err != nil {
		return nil, nil, pgError(err, "villages with their plans")
	}
	f.fillIn(want)
	return villages, f, nil
}

// VillagePage is a page of villages read with their plans of a fiscal year.
type VillagePage struct {
	Villages []*area.Village
	// Plans are the villages' plans (by key) and the parts of their trees asked for.
	Plans *PlanForest
	// Total is the number of villages matching the filter, when asked for.
	Total *int
}

// VillagePageWithPlanTrees returns a page of the villages matching f that scope may
// see, as AreaStore.Villages does, with their plans of one fiscal year and the parts
// of their trees that want names, as PlanTreesByKey does, and — with count — how
// many villages match f, as CountVillages does: a list page's reads in one round
// trip. The plans' statements select the page's villages again, by the page's own
// conditions.
func (s *PlanStore) VillagePageWithPlanTrees(ctx context.Context, sc auth.Scope, f area.VillageFilter, p Page, fiscalYear int, want PlanTree, count bool) (*VillagePage, error) {
	page, err := villagePageQuery(sc, f, p)
	if err != nil {
		return nil, err
	}
	out := &VillagePage{}
	var b pgx.Batch
	b.Queue(`SELECT `+villageColumns+` FROM area v`+page.where()+` ORDER BY v.code LIMIT @limit`, page.args).Query(func(rows pgx.Rows) error {
		vs, err := collectVillages(rows)
		out.Villages = vs
		return pgError(err, "villages")
	})
	if count {
		all, _ := villageQuery(sc, f)
		b.Queue(`SELECT count(*) FROM area v`+all.where(), all.args).QueryRow(func(row pgx.Row) error {
			var n int
			err := row.Scan(&n)
			out.Total = &n
			return pgError(err, "count villages")
		})
	}
	forest, want := queuePlanTreesWhere(&b, sc, func() *query {
		q := newQuery().and(`(vp.village_code, vp.fiscal_year) IN (SELECT v.code, @plan_year::int2 FROM area v`+page.where()+` ORDER BY v.code LIMIT @limit)`, page.args).
			and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
		q.args["plan_year"] = fiscalYear
		return q
	}, want)
	if err := s.db.Pool.SendBatch(ctx, &b).Close(); err != nil {
		return nil, pgError(err, "villages with their plans")
	}
	forest.fillIn(want)
	out.Plans = forest
	return out, nil
}

// queuePlanTrees queues on b the statements of PlanTreesByKey; the forest is read
// once b's results are, then filled in (fillIn) with the parts want (returned, as
// completed) names.
func queuePlanTrees(b *pgx.Batch, sc auth.Scope, keys []plan.Key, want PlanTree) (*PlanForest, PlanTree) {
	codes := make([]string, len(keys))
	years := make([]int32, len(keys))
	for i, k := range keys {
		codes[i], years[i] = k.VillageCode, int32(k.FiscalYear)
	}
	return queuePlanTreesWhere(b, sc, func() *query {
		return newQuery().and("(vp.village_code, vp.fiscal_year) IN (SELECT * FROM unnest(@codes::text[], @years::int2[]))",
			pgx.NamedArgs{"codes": codes, "years": years}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	}, want)
}

// queuePlanTreesWhere is queuePlanTrees for the plans (vp) that plans' conditions
// select, scope included.
func queuePlanTreesWhere(b *pgx.Batch, sc auth.Scope, plans func() *query, want PlanTree) (*PlanForest, PlanTree) {
	want.Items = want.Items || want.Lines
	f := &PlanForest{}
	q := plans()
	if want.Totals && !want.Lines {
		// the totals alone: beside each plan, as kept by the writes
		b.Queue(`SELECT `+planColumns+`, `+keptPlanTotal+` FROM village_plan vp`+q.where(), q.args).Query(func(rows pgx.Rows) error {
			ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*planWithTotal, error) {
				var p planWithTotal
				err := row.Scan(append(planTargets(&p.Plan), &p.Total)...)
				return &p, err
			})
			if err != nil {
				return pgError(err, "plans by key with their totals")
			}
			f.Plans, f.Totals = make(map[plan.Key]*plan.Plan, len(ps)), make(map[int64]decimal.Decimal, len(ps))
			for _, p := range ps {
				f.Plans[plan.Key{VillageCode: p.VillageCode, FiscalYear: p.FiscalYear}] = &p.Plan
				f.Totals[p.ID] = p.Total
			}
			return nil
		})
	} else {
		b.Queue(`SELECT `+planColumns+` FROM village_plan vp`+q.where(), q.args).Query(func(rows pgx.Rows) error {
			ps, err := collectPlans(rows)
			f.Plans, err = byKey(ps, err, "plans by key", func(p *plan.Plan) plan.Key { return plan.Key{VillageCode: p.VillageCode, FiscalYear: p.FiscalYear} })
			return err
		})
	}
	if want.Items {
		q := plans()
		b.Queue(`SELECT `+itemColumns+` FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id`+q.where()+
			` ORDER BY pi.village_plan_id, pi.position`, q.args).Query(func(rows pgx.Rows) error {
			is, err := collectItems(rows)
			f.Items, err = groupRows(is, err, "items by plan", func(i *plan.Item) int64 { return i.PlanID })
			return err
		})
	}
	if want.Lines {
		q := plans().and(budgetScope(sc))
		b.Queue(`SELECT `+budgetColumns+` FROM budget_line bl JOIN plan_item pi ON pi.id = bl.plan_item_id
			JOIN village_plan vp ON vp.id = pi.village_plan_id`+q.where()+` ORDER BY bl.plan_item_id, bl.fiscal_year, bl.id`, q.args).Query(func(rows pgx.Rows) error {
			ls, err := collectLines(rows)
			f.Lines, err = groupRows(ls, err, "budget lines by item", func(l *budget.Line) int64 { return *l.PlanItemID })
			return err
		})
	}
	if want.Facilitators {
		q := plans()
		b.Queue(`SELECT `+facilitatorColumns+` FROM facilitator f JOIN village_plan vp ON vp.id = f.village_plan_id`+q.where()+
			` ORDER BY f.village_plan_id, `+facilitatorOrder, q.args).Query(func(rows pgx.Rows) error {
			fs, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[plan.Facilitator])
			f.Facilitators, err = groupRows(fs, err, "facilitators by plan", func(f *plan.Facilitator) int64 { return f.PlanID })
			return err
		})
	}
	return f, want
}

// fillIn gives every plan read an entry in each part asked for, and sums the
// totals from the lines when they were read.
func (f *PlanForest) fillIn(want PlanTree) {
	if want.Items && f.Items == nil {
		f.Items = map[int64][]*plan.Item{}
	}
	if want.Lines && f.Lines == nil {
		f.Lines = map[int64][]*budget.Line{}
	}
	if want.Totals && f.Totals == nil {
		f.Totals = map[int64]decimal.Decimal{}
	}
	if want.Facilitators && f.Facilitators == nil {
		f.Facilitators = map[int64][]*plan.Facilitator{}
	}
	for _, p := range f.Plans {
		if want.Facilitators && f.Facilitators[p.ID] == nil {
			f.Facilitators[p.ID] = []*plan.Facilitator{}
		}
		if want.Items && f.Items[p.ID] == nil {
			f.Items[p.ID] = []*plan.Item{}
		}
		if want.Totals {
			if _, ok := f.Totals[p.ID]; !ok {
				f.Totals[p.ID] = decimal.Zero
			}
		}
	}
	if !want.Lines {
		return
	}
	for planID, items := range f.Items {
		for _, i := range items {
			ls := f.Lines[i.ID]
			if ls == nil {
				f.Lines[i.ID] = []*budget.Line{}
			}
			if want.Totals {
				for _, l := range ls {
					f.Totals[planID] = f.Totals[planID].Add(l.Amount)
				}
			}
		}
	}
}
