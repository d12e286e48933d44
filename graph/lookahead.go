package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// Looking ahead: a resolver that sees what the operation asks below its field can
// read it in the same round trip, or the same statement.

// selects reports whether the operation asks the field of ctx (its resolver's) for
// a field named name, directly.
func selects(ctx context.Context, name string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return false
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{fc.Field.Definition.Type.Name()}) {
		if f.Name == name {
			return true
		}
	}
	return false
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
