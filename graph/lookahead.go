package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/graph/scalar"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// Looking ahead: a resolver that sees what the operation asks below its field can
// read it in the same round trip, or the same statement.

// selectedFields returns what the operation asks directly of the field of ctx (its
// resolver's), and the operation; none outside an operation.
func selectedFields(ctx context.Context) (*graphql.OperationContext, []graphql.CollectedField) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return nil, nil
	}
	op := graphql.GetOperationContext(ctx)
	return op, collectFields(op, fc.Field.Selections, []string{fc.Field.Definition.Type.Name()})
}

// selects reports whether the operation asks the field of ctx (its resolver's) for
// a field named name, directly.
func selects(ctx context.Context, name string) bool {
	_, fields := selectedFields(ctx)
	for _, f := range fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

// planTreeSelected looks ahead from a field of type VillagePlan (ctx is its
// resolver's) at what the operation asks of the plans: their items, the items'
// budget lines (or budget totals, summed from the lines), the plans' budget totals
// and facilitators. Those parts are then read with the plans, in one round trip.
func planTreeSelected(ctx context.Context) postgres.PlanTree {
	op, fields := selectedFields(ctx)
	return planTreeOf(op, fields)
}

// planTreeOf is what the operation asks, in fields, of a plan's tree.
func planTreeOf(op *graphql.OperationContext, fields []graphql.CollectedField) postgres.PlanTree {
	var t postgres.PlanTree
	for _, f := range fields {
		switch f.Name {
		case "budgetTotal":
			t.Totals = true
		case "facilitators":
			t.Facilitators = true
		case "items":
			t.Items = true
			for _, g := range collectFields(op, f.Selections, []string{"PlanItem"}) {
				if g.Name == "budgetLines" || g.Name == "budgetTotal" {
					t.Lines = true
				}
			}
		}
	}
	return t
}

// villagePlanSelected looks ahead from a field of type Village (ctx is its
// resolver's) at the first plan(fiscalYear) the operation asks of it: the fiscal
// year and what it asks of the plan's tree; false when it asks none, or with a
// fiscal year that does not parse (the plan's own resolver then says why).
func villagePlanSelected(ctx context.Context) (int, postgres.PlanTree, bool) {
	op, fields := selectedFields(ctx)
	return planOf(op, fields)
}

// planOf is the first plan(fiscalYear) fields ask of a village, as villagePlanSelected.
func planOf(op *graphql.OperationContext, fields []graphql.CollectedField) (int, postgres.PlanTree, bool) {
	for _, f := range fields {
		if f.Name != "plan" {
			continue
		}
		year, err := scalar.UnmarshalFiscalYear(f.ArgumentMap(op.Variables)["fiscalYear"])
		if err != nil {
			return 0, postgres.PlanTree{}, false
		}
		return year, planTreeOf(op, collectFields(op, f.Selections, []string{"VillagePlan"})), true
	}
	return 0, postgres.PlanTree{}, false
}

// connectionPlanSelected looks ahead from a field of type VillageConnection (ctx is
// its resolver's) at the first plan(fiscalYear) the operation asks of its villages
// (nodes, or edges' node), as villagePlanSelected; and whether it asks totalCount.
func connectionPlanSelected(ctx context.Context) (year int, tree postgres.PlanTree, ok, total bool) {
	op, fields := selectedFields(ctx)
	for _, f := range fields {
		switch f.Name {
		case "totalCount":
			total = true
		case "nodes":
			if !ok {
				year, tree, ok = planOf(op, collectFields(op, f.Selections, []string{"Village"}))
			}
		case "edges":
			for _, e := range collectFields(op, f.Selections, []string{"VillageEdge"}) {
				if e.Name == "node" && !ok {
					year, tree, ok = planOf(op, collectFields(op, e.Selections, []string{"Village"}))
				}
			}
		}
	}
	return year, tree, ok, total
}
