package postgres

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
)

// AreaStore reads the administrative geography. Provinces, districts and
// subdistricts are public reference data, read once (geography.go); villages are
// filtered by scope.
type AreaStore struct {
	db      *DB
	loading sync.Mutex
	geo     atomic.Pointer[geography]
}

// NewAreaStore returns an AreaStore on db.
func NewAreaStore(db *DB) *AreaStore { return &AreaStore{db: db} }

// Provinces returns every province, by code.
func (s *AreaStore) Provinces(ctx context.Context) ([]*area.Province, error) {
	g, err := s.geography(ctx)
	if err != nil {
		return nil, err
	}
	return g.provinces, nil
}

const villageColumns = `v.code, v.parent_code, v.moo, v.name_th, v.name_en, v.households, v.population, v.is_demo`

// VillagesByCode returns the villages with the given codes that scope may see.
func (s *AreaStore) VillagesByCode(ctx context.Context, sc auth.Scope, codes []string) (map[string]*area.Village, error) {
	q := villagesByCode(sc, codes)
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+villageColumns+` FROM area v`+q.where(), q.args)
	vs, err := collectVillages(rows)
	return byKey(vs, err, "villages by code", func(v *area.Village) string { return v.Code })
}

// villagesByCode builds the conditions of the villages with the given codes that
// scope may see.
func villagesByCode(sc auth.Scope, codes []string) *query {
	return newQuery().
		and("v.code = ANY(@codes) AND length(v.code) = 8", pgx.NamedArgs{"codes": codes}).
		and(sc.AreaPredicate("v.code"), sc.NamedArgs())
}

// VillagesBySubdistrict returns the villages of the given subdistricts that scope may
// see, by village number.
func (s *AreaStore) VillagesBySubdistrict(ctx context.Context, sc auth.Scope, subdistrictCodes []string) (map[string][]*area.Village, error) {
	q := newQuery().
		and("v.parent_code = ANY(@codes) AND length(v.code) = 8", pgx.NamedArgs{"codes": subdistrictCodes}).
		and(sc.AreaPredicate("v.code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+villageColumns+` FROM area v`+q.where()+` ORDER BY v.code`, q.args)
	vs, err := collectVillages(rows)
	return groupRows(vs, err, "villages by subdistrict", func(v *area.Village) string { return v.SubdistrictCode })
}

// villageQuery builds the conditions of a village list.
func villageQuery(sc auth.Scope, f area.VillageFilter) (*query, error) {
	q := newQuery().and("length(v.code) = 8", nil).and(sc.AreaPredicate("v.code"), sc.NamedArgs())
	if err := q.within("v.code", f.AreaCode); err != nil {
		return nil, err
	}
	if f.ProgramCode != nil {
		q.and(`EXISTS (SELECT 1 FROM program_village pv WHERE pv.program_code = @program AND pv.village_code = v.code)`,
			pgx.NamedArgs{"program": *f.ProgramCode})
	}
	if f.PlanStatus != nil {
		if f.FiscalYear == nil {
			return nil, apperr.Invalid("filter.fiscalYear", "fiscalYear is required with planStatus")
		}
		q.and(`COALESCE((SELECT vp.status FROM village_plan vp WHERE vp.village_code = v.code AND vp.fiscal_year = @fy), 'NOT_STARTED') = @status`,
			pgx.NamedArgs{"fy": *f.FiscalYear, "status": string(*f.PlanStatus)})
	}
	if f.IsDemo != nil {
		q.and("v.is_demo = @demo", pgx.NamedArgs{"demo": *f.IsDemo})
	}
	return q, nil
}

// Villages returns a page of the villages matching f that scope may see, by code.
func (s *AreaStore) Villages(ctx context.Context, sc auth.Scope, f area.VillageFilter, p Page) ([]*area.Village, error) {
	q, err := villagePageQuery(sc, f, p)
	if err != nil {
		return nil, err
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+villageColumns+` FROM area v`+q.where()+` ORDER BY v.code LIMIT @limit`, q.args)
	vs, err := collectVillages(rows)
	return vs, pgError(err, "villages")
}

// villagePageQuery builds the conditions of a page of a village list, and its limit
// (@limit; ordered by code).
func villagePageQuery(sc auth.Scope, f area.VillageFilter, p Page) (*query, error) {
	q, err := villageQuery(sc, f)
	if err != nil {
		return nil, err
	}
	if p.After != "" {
		q.and("v.code > @after", pgx.NamedArgs{"after": p.After})
	}
	q.args["limit"] = p.limit()
	return q, nil
}

// CountVillages counts the villages matching f that scope may see.
func (s *AreaStore) CountVillages(ctx context.Context, sc auth.Scope, f area.VillageFilter) (int, error) {
	q, err := villageQuery(sc, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM area v`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count villages")
}

// byKey indexes rows by key, passing a collection error on.
func byKey[K comparable, T any](rows []T, err error, op string, key func(T) K) (map[K]T, error) {
	if err != nil {
		return nil, pgError(err, op)
	}
	m := make(map[K]T, len(rows))
	for _, r := range rows {
		m[key(r)] = r
	}
	return m, nil
}

// groupRows groups rows by key, keeping their order.
func groupRows[K comparable, T any](rows []T, err error, op string, key func(T) K) (map[K][]T, error) {
	if err != nil {
		return nil, pgError(err, op)
	}
	m := make(map[K][]T)
	for _, r := range rows {
		k := key(r)
		m[k] = append(m[k], r)
	}
	return m, nil
}

// VillageVisible reports whether scope sees the village: at once for a scope of
// everything or of areas holding it, else (program grants) by the database, like
// every read. An error counts as not visible.
func (s *AreaStore) VillageVisible(ctx context.Context, sc auth.Scope, code string) bool {
	switch {
	case sc.IsAll():
		return true
	case sc.CoversArea(code):
		return true
	case len(sc.ProgramCodes()) == 0:
		return false
	}
	vs, err := s.VillagesByCode(ctx, sc, []string{code})
	return err == nil && vs[code] != nil
}
