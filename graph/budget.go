package graph

import (
	"context"
	"sync"

	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/shopspring/decimal"
)

// budgetLines is a page of the budget lines matching f inside the caller's scope.
// The count and the sum come from one statement, run at most once, and only when
// asked for.
func (r *Resolver) budgetLines(ctx context.Context, f budget.Filter, first *int, after *string) (*model.BudgetLineConnection, error) {
	sc := auth.ScopeFrom(ctx)
	totals := sync.OnceValues(func() (struct {
		n   int
		sum decimal.Decimal
	}, error) {
		n, sum, err := r.BudgetStore.CountLines(ctx, sc, f)
		return struct {
			n   int
			sum decimal.Decimal
		}{n, sum}, err
	})
	c, err := connection(first, after,
		func(p postgres.Page) ([]*budget.Line, error) { return r.BudgetStore.Lines(ctx, sc, f, p) },
		postgres.LineKey,
		func(context.Context) (int, error) { t, err := totals(); return t.n, err })
	if err != nil {
		return nil, err
	}
	return model.NewBudgetLineConnection(c, func(context.Context) (decimal.Decimal, error) { t, err := totals(); return t.sum, err }), nil
}
