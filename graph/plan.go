package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// planChange reads setVillagePlan's input: a field left out keeps its value, an
// explicit null clears it.
func planChange(in model.SetVillagePlanInput) (plan.Change, error) {
	code, err := area.ParseLevelCode(in.VillageCode, area.LevelVillage)
	if err != nil {
		return plan.Change{}, apperr.Invalid("input.villageCode", "%s", err)
	}
	c := plan.Change{Key: plan.Key{VillageCode: code, FiscalYear: in.FiscalYear}}
	if in.Status.IsSet() {
		if in.Status.Value() == nil {
			return c, apperr.Invalid("input.status", "status cannot be cleared")
		}
		c.Status = in.Status.Value()
	}
	c.ScheduledStart, c.ScheduledStartSet = in.ScheduledStart.ValueOK()
	c.ScheduledEnd, c.ScheduledEndSet = in.ScheduledEnd.ValueOK()
	c.CompletedOn, c.CompletedOnSet = in.CompletedOn.ValueOK()
	c.ParticipationRate, c.ParticipationRateSet = in.ParticipationRate.ValueOK()
	return c, nil
}

// planTreeSelected looks ahead from a field of type VillagePlan (ctx is its
// resolver's) at what the operation asks of the plans: their items, the items'
// budget lines (or budget totals, summed from the lines), the plans' budget totals.
// Those parts are then read with the plans, in one round trip.
func planTreeSelected(ctx context.Context) postgres.PlanTree {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return postgres.PlanTree{}
	}
	op := graphql.GetOperationContext(ctx)
	var t postgres.PlanTree
	for _, f := range graphql.CollectFields(op, fc.Field.Selections, []string{"VillagePlan"}) {
		switch f.Name {
		case "budgetTotal":
			t.Totals = true
		case "facilitators":
			t.Facilitators = true
		case "items":
			t.Items = true
			for _, g := range graphql.CollectFields(op, f.Selections, []string{"PlanItem"}) {
				if g.Name == "budgetLines" || g.Name == "budgetTotal" {
					t.Lines = true
				}
			}
		}
	}
	return t
}
