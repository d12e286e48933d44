package graph

import (
	"context"
	"sync"

	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/loader"
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

// prefetchAgencies loads the agencies of summary rows grouped by agency in one
// batch, so that each row's agency is read from the loader's cache: a national
// summary has hundreds of rows, and letting each wait for its batch cost more
// than the answer.
func prefetchAgencies(ctx context.Context, rows []*budget.SummaryRow) error {
	var codes []string
	seen := map[string]bool{}
	for _, r := range rows {
		if r.AgencyCode != nil && !seen[*r.AgencyCode] {
			seen[*r.AgencyCode] = true
			codes = append(codes, *r.AgencyCode)
		}
	}
	if len(codes) == 0 {
		return nil
	}
	_, err := loader.Agencies(ctx, codes)
	return err
}
