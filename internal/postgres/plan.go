package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/plan"
)

// PlanStore reads and writes village plans, their items and facilitators. Plans are
// visible and writable only inside the caller's scope (by the plan's village).
type PlanStore struct{ db *DB }

// NewPlanStore returns a PlanStore on db.
func NewPlanStore(db *DB) *PlanStore { return &PlanStore{db: db} }

const planColumns = `vp.id, vp.village_code, vp.fiscal_year, vp.status, vp.scheduled_start, vp.scheduled_end,
	vp.completed_on, vp.participation_rate::float8, vp.is_demo, vp.updated_at`

// PlansByID returns the plans with the given ids that scope may see.
func (s *PlanStore) PlansByID(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]*plan.Plan, error) {
	q := newQuery().and("vp.id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+planColumns+` FROM village_plan vp`+q.where(), q.args)
	ps, err := collectPlans(rows)
	return byKey(ps, err, "plans by id", func(p *plan.Plan) int64 { return p.ID })
}

// PlansByVillage returns the plans of the given villages that scope may see, newest
// fiscal year first.
func (s *PlanStore) PlansByVillage(ctx context.Context, sc auth.Scope, villageCodes []string) (map[string][]*plan.Plan, error) {
	q := newQuery().and("vp.village_code = ANY(@codes)", pgx.NamedArgs{"codes": villageCodes}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+planColumns+` FROM village_plan vp`+q.where()+` ORDER BY vp.village_code, vp.fiscal_year DESC`, q.args)
	ps, err := collectPlans(rows)
	return groupRows(ps, err, "plans by village", func(p *plan.Plan) string { return p.VillageCode })
}

// PlansByKey returns the plans with the given natural keys that scope may see.
func (s *PlanStore) PlansByKey(ctx context.Context, sc auth.Scope, keys []plan.Key) (map[plan.Key]*plan.Plan, error) {
	return s.PlansByKeyAsOf(ctx, sc, keys, nil)
}

// PlansByKeyAsOf is PlansByKey as of an instant (now when nil); the plans carry
// the instant, for their items and facilitators to be read as of it too.
func (s *PlanStore) PlansByKeyAsOf(ctx context.Context, sc auth.Scope, keys []plan.Key, asOf *time.Time) (map[plan.Key]*plan.Plan, error) {
	codes := make([]string, len(keys))
	years := make([]int32, len(keys))
	for i, k := range keys {
		codes[i], years[i] = k.VillageCode, int32(k.FiscalYear)
	}
	q := newQuery().and("(vp.village_code, vp.fiscal_year) IN (SELECT * FROM unnest(@codes::text[], @years::int2[]))",
		pgx.NamedArgs{"codes": codes, "years": years}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+planColumns+` FROM `+versioned("village_plan", asOf, q.args, rowsByKey("village_code", "codes"))+` vp`+q.where(), q.args)
	ps, err := collectPlans(rows)
	stamp(ps, asOf)
	return byKey(ps, err, "plans by key", func(p *plan.Plan) plan.Key { return plan.Key{VillageCode: p.VillageCode, FiscalYear: p.FiscalYear} })
}

func planQuery(sc auth.Scope, f plan.Filter) (*query, error) {
	q := newQuery().and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	if err := q.within("vp.village_code", f.AreaCode); err != nil {
		return nil, err
	}
	if f.ProgramCode != nil {
		q.and("EXISTS (SELECT 1 FROM program_village pv WHERE pv.program_code = @program AND pv.village_code = vp.village_code)",
			pgx.NamedArgs{"program": *f.ProgramCode})
	}
	if f.FiscalYear != nil {
		q.and("vp.fiscal_year = @fy", pgx.NamedArgs{"fy": *f.FiscalYear})
	}
	if f.Status != nil {
		q.and("vp.status = @status", pgx.NamedArgs{"status": string(*f.Status)})
	}
	return q, nil
}

// Plans returns a page of the plans matching f that scope may see, by village code
// then fiscal year. The sort key of a plan is PlanKey.
func (s *PlanStore) Plans(ctx context.Context, sc auth.Scope, f plan.Filter, p Page) ([]*plan.Plan, error) {
	q, err := planQuery(sc, f)
	if err != nil {
		return nil, err
	}
	if p.After != "" {
		parts, err := p.afterParts(2)
		if err != nil {
			return nil, err
		}
		fy, err := afterInt64(parts[1])
		if err != nil {
			return nil, err
		}
		q.and("(vp.village_code, vp.fiscal_year) > (@after_code, @after_fy)", pgx.NamedArgs{"after_code": parts[0], "after_fy": fy})
	}
	q.args["limit"] = p.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+planColumns+` FROM `+versioned("village_plan", f.AsOf, q.args, rowsWithin("village_code", q.args)...)+` vp`+q.where()+
		` ORDER BY vp.village_code, vp.fiscal_year LIMIT @limit`, q.args)
	ps, err := collectPlans(rows)
	stamp(ps, f.AsOf)
	return ps, pgError(err, "plans")
}

// stamp marks plans read as of an instant.
func stamp(ps []*plan.Plan, asOf *time.Time) {
	for _, p := range ps {
		p.AsOf = asOf
	}
}

// PlanKey is the sort key of a plan in Plans.
func PlanKey(p *plan.Plan) string { return Key(p.VillageCode, strconv.Itoa(p.FiscalYear)) }

// CountPlans counts the plans matching f that scope may see.
func (s *PlanStore) CountPlans(ctx context.Context, sc auth.Scope, f plan.Filter) (int, error) {
	q, err := planQuery(sc, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM `+versioned("village_plan", f.AsOf, q.args, rowsWithin("village_code", q.args)...)+` vp`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count plans")
}

const itemColumns = `pi.id, pi.village_plan_id, pi.position, pi.title, pi.category, pi.responsible_agency_code, pi.is_demo,
	vp.village_code || ':' || vp.fiscal_year || ':' || pi.position`

// ItemsByPlan returns the items of the given plans that scope may see, in plan order.
func (s *PlanStore) ItemsByPlan(ctx context.Context, sc auth.Scope, planIDs []int64) (map[int64][]*plan.Item, error) {
	return s.ItemsByPlanAsOf(ctx, sc, planIDs, nil)
}

// ItemsByPlanAsOf is ItemsByPlan as of an instant (now when nil); the items carry
// the instant.
func (s *PlanStore) ItemsByPlanAsOf(ctx context.Context, sc auth.Scope, planIDs []int64, asOf *time.Time) (map[int64][]*plan.Item, error) {
	q := newQuery().and("pi.village_plan_id = ANY(@ids)", pgx.NamedArgs{"ids": planIDs}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+itemColumns+` FROM `+versioned("plan_item", asOf, q.args, rowsByKey("village_plan_id", "ids"))+` pi
		JOIN `+versioned("village_plan", asOf, q.args, rowsByID("ids"))+` vp ON vp.id = pi.village_plan_id`+
		q.where()+` ORDER BY pi.village_plan_id, pi.position`, q.args)
	is, err := collectItems(rows)
	for _, i := range is {
		i.AsOf = asOf
	}
	return groupRows(is, err, "items by plan", func(i *plan.Item) int64 { return i.PlanID })
}

// ItemsByID returns the items with the given ids that scope may see.
func (s *PlanStore) ItemsByID(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]*plan.Item, error) {
	q := newQuery().and("pi.id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+itemColumns+` FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id`+q.where(), q.args)
	is, err := collectItems(rows)
	return byKey(is, err, "items by id", func(i *plan.Item) int64 { return i.ID })
}

const (
	facilitatorColumns = `f.village_plan_id, f.role, f.name, f.phone, f.agency_code, f.is_demo, f.ingest_key`
	// facilitators by role, the most senior first, then by name
	facilitatorOrder = `array_position(ARRAY['DEPUTY_DISTRICT_OFFICER','AD3','AD2','AD1'], f.role), f.name`
)

// FacilitatorsByPlan returns the facilitators of the given plans that scope may see,
// by role then name.
func (s *PlanStore) FacilitatorsByPlan(ctx context.Context, sc auth.Scope, planIDs []int64) (map[int64][]*plan.Facilitator, error) {
	return s.FacilitatorsByPlanAsOf(ctx, sc, planIDs, nil)
}

// FacilitatorsByPlanAsOf is FacilitatorsByPlan as of an instant (now when nil).
func (s *PlanStore) FacilitatorsByPlanAsOf(ctx context.Context, sc auth.Scope, planIDs []int64, asOf *time.Time) (map[int64][]*plan.Facilitator, error) {
	q := newQuery().and("f.village_plan_id = ANY(@ids)", pgx.NamedArgs{"ids": planIDs}).and(sc.AreaPredicate("vp.village_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+facilitatorColumns+`
		FROM `+versioned("facilitator", asOf, q.args, rowsByKey("village_plan_id", "ids"))+` f JOIN `+versioned("village_plan", asOf, q.args, rowsByID("ids"))+` vp ON vp.id = f.village_plan_id`+q.where()+
		` ORDER BY f.village_plan_id, `+facilitatorOrder, q.args)
	fs, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[plan.Facilitator])
	return groupRows(fs, err, "facilitators by plan", func(f *plan.Facilitator) int64 { return f.PlanID })
}

// SetPlan applies a change to a village's plan for a fiscal year, creating the plan
// when there is none. It reports whether the plan was created. The village must be
// inside the caller's write scope (FORBIDDEN otherwise); the check, the read and the
// write happen in one transaction with the row locked, so concurrent changes apply
// one after the other.
func (s *PlanStore) SetPlan(ctx context.Context, write auth.Scope, c plan.Change) (*plan.Plan, bool, error) {
	if write.IsNone() {
		return nil, false, apperr.New(apperr.Forbidden, "your role may not change village plans")
	}
	var out *plan.Plan
	created := false
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		args := write.NamedArgs()
		args["code"] = c.VillageCode
		var writable bool
		err := tx.QueryRow(ctx, `SELECT `+write.AreaPredicate("v.code")+` FROM area v WHERE v.code = @code AND length(v.code) = 8`, args).Scan(&writable)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return apperr.Invalid("input.villageCode", "no village with code %s", c.VillageCode)
		case err != nil:
			return err
		case !writable:
			return apperr.New(apperr.Forbidden, "you may not change the plans of village %s: it is outside your areas", c.VillageCode)
		}
		rows, _ := tx.Query(ctx, `SELECT `+planColumns+` FROM village_plan vp WHERE vp.village_code = $1 AND vp.fiscal_year = $2 FOR UPDATE`,
			c.VillageCode, c.FiscalYear)
		current, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[plan.Plan])
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			created = true
			current = plan.Plan{VillageCode: c.VillageCode, FiscalYear: c.FiscalYear}
		case err != nil:
			return err
		}
		next, err := c.Apply(current)
		if err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `
			INSERT INTO village_plan AS vp (village_code, fiscal_year, status, scheduled_start, scheduled_end, completed_on, participation_rate)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (village_code, fiscal_year) DO UPDATE SET
				status = EXCLUDED.status, scheduled_start = EXCLUDED.scheduled_start, scheduled_end = EXCLUDED.scheduled_end,
				completed_on = EXCLUDED.completed_on, participation_rate = EXCLUDED.participation_rate, updated_at = now()
			RETURNING `+planColumns,
			next.VillageCode, next.FiscalYear, next.Status, next.ScheduledStart, next.ScheduledEnd, next.CompletedOn, next.ParticipationRate)
		out, err = pgx.CollectExactlyOneRow(rows, scanPlan)
		return err
	})
	if err != nil {
		return nil, false, pgError(err, "set village plan")
	}
	return out, created, nil
}
