package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/agency"
)

// AgencyStore reads agencies. The list of agencies is public: every caller may know
// who takes part.
type AgencyStore struct{ db *DB }

// NewAgencyStore returns an AgencyStore on db.
func NewAgencyStore(db *DB) *AgencyStore { return &AgencyStore{db: db} }

const agencyColumns = `a.code, a.name_th, a.name_en, a.kind, a.parent_code,
	ARRAY(SELECT aa.area_code FROM agency_area aa WHERE aa.agency_code = a.code ORDER BY aa.area_code)`

// AgenciesByCode returns the agencies with the given codes.
func (s *AgencyStore) AgenciesByCode(ctx context.Context, codes []string) (map[string]*agency.Agency, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+agencyColumns+` FROM agency a WHERE a.code = ANY($1)`, codes)
	as, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[agency.Agency])
	return byKey(as, err, "agencies by code", func(a *agency.Agency) string { return a.Code })
}

func agencyQuery(kind *agency.Kind) *query {
	q := newQuery()
	if kind != nil {
		q.and("a.kind = @kind", pgx.NamedArgs{"kind": string(*kind)})
	}
	return q
}

// Agencies returns a page of agencies, optionally of one kind, by code.
func (s *AgencyStore) Agencies(ctx context.Context, kind *agency.Kind, p Page) ([]*agency.Agency, error) {
	q := agencyQuery(kind)
	if p.After != "" {
		q.and("a.code > @after", pgx.NamedArgs{"after": p.After})
	}
	q.args["limit"] = p.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+agencyColumns+` FROM agency a`+q.where()+` ORDER BY a.code LIMIT @limit`, q.args)
	as, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[agency.Agency])
	return as, pgError(err, "agencies")
}

// CountAgencies counts agencies, optionally of one kind.
func (s *AgencyStore) CountAgencies(ctx context.Context, kind *agency.Kind) (int, error) {
	q := agencyQuery(kind)
	var n int
	err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM agency a`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count agencies")
}
