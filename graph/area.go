package graph

import (
	"context"
	"strings"

	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/loader"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// villages is a page of the villages matching f inside the caller's scope.
func (r *Resolver) villages(ctx context.Context, f area.VillageFilter, first *int, after *string) (*model.Connection[*area.Village], error) {
	sc := auth.ScopeFrom(ctx)
	fetch := func(p postgres.Page) ([]*area.Village, error) { return r.AreaStore.Villages(ctx, sc, f, p) }
	var counted *int
	if year, tree, ok, total := connectionPlanSelected(ctx); ok {
		// the page, its villages' plans and the count in one round trip
		fetch = func(p postgres.Page) ([]*area.Village, error) {
			page, err := r.PlanStore.VillagePageWithPlanTrees(ctx, sc, f, p, year, tree, total)
			if err != nil {
				return nil, err
			}
			codes := make([]string, len(page.Villages))
			for i, v := range page.Villages {
				codes[i] = v.Code
			}
			loader.PlansRead(ctx, codes, year, page.Plans)
			counted = page.Total
			return page.Villages, nil
		}
	}
	return connection(first, after, fetch,
		func(v *area.Village) string { return v.Code },
		func(ctx context.Context) (int, error) {
			if counted != nil {
				return *counted, nil
			}
			return r.AreaStore.CountVillages(ctx, sc, f)
		})
}

// withinArea narrows a village filter to an area, for the villages of a province or
// district. An areaCode given by the client inside that area narrows it further; one
// outside it matches nothing.
func (r *Resolver) villagesWithin(ctx context.Context, code string, f *area.VillageFilter, first *int, after *string) (*model.Connection[*area.Village], error) {
	out := deref(f)
	if out.AreaCode != nil {
		given, err := area.ParseCode(*out.AreaCode)
		if err != nil {
			return nil, apperr.Invalid("filter.areaCode", "%s", err)
		}
		switch {
		case strings.HasPrefix(given, code):
			code = given
		case !strings.HasPrefix(code, given):
			return model.NewConnection[*area.Village](nil, 0, false, nil, func(context.Context) (int, error) { return 0, nil }), nil
		}
	}
	out.AreaCode = &code
	return r.villages(ctx, out, first, after)
}
