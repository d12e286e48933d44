package postgres

import (
	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/plan"
)

// The rows every page reads — villages, plans, items, budget lines — are scanned
// field by field, in the order of their column lists (villageColumns, planColumns,
// itemColumns, budgetColumns): pgx's struct scanning finds a struct's fields by
// reflection for every row, a tenth of the server's CPU on a page of 500 villages
// with their plans.

func collectVillages(rows pgx.Rows) ([]*area.Village, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*area.Village, error) {
		var v area.Village
		err := row.Scan(&v.Code, &v.SubdistrictCode, &v.Moo, &v.NameTh, &v.NameEn, &v.Households, &v.Population, &v.IsDemo)
		return &v, err
	})
}

func collectPlans(rows pgx.Rows) ([]*plan.Plan, error) {
	return pgx.CollectRows(rows, scanPlan)
}

func scanPlan(row pgx.CollectableRow) (*plan.Plan, error) {
	var p plan.Plan
	err := row.Scan(planTargets(&p)...)
	return &p, err
}

// planTargets are the scan targets of planColumns.
func planTargets(p *plan.Plan) []any {
	return []any{&p.ID, &p.VillageCode, &p.FiscalYear, &p.Status, &p.ScheduledStart, &p.ScheduledEnd,
		&p.CompletedOn, &p.ParticipationRate, &p.IsDemo, &p.UpdatedAt}
}

func collectItems(rows pgx.Rows) ([]*plan.Item, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*plan.Item, error) {
		var i plan.Item
		err := row.Scan(&i.ID, &i.PlanID, &i.Position, &i.Title, &i.Category, &i.ResponsibleAgencyCode, &i.IsDemo, &i.RecordKey)
		return &i, err
	})
}

func collectLines(rows pgx.Rows) ([]*budget.Line, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*budget.Line, error) {
		var l budget.Line
		err := row.Scan(&l.ID, &l.FiscalYear, &l.Amount, &l.Source, &l.Status, &l.AgencyCode, &l.PlanItemID,
			&l.ProgramCode, &l.AreaCode, &l.Description, &l.IsDemo, &l.IngestKey)
		return &l, err
	})
}
