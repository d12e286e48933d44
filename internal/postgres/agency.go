package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/agency"
)

// AgencyStore reads agencies. The list of agencies is public: every caller may know
// who takes part.
//
// Agencies by code are kept for a few seconds: a village page names the same few
// agencies at every level, and about a hundred agencies change by hand, rarely.
// A code not kept is read at once (a new agency is seen by the next request), and
// a change to a kept agency shows within agencyFreshFor.
type AgencyStore struct {
	db *DB

	mu   sync.Mutex
	kept map[string]keptAgency
}

// agencyFreshFor is how long an agency read by code is kept.
const agencyFreshFor = 5 * time.Second

type keptAgency struct {
	agency *agency.Agency
	until  time.Time
}

// NewAgencyStore returns an AgencyStore on db.
func NewAgencyStore(db *DB) *AgencyStore { return &AgencyStore{db: db, kept: map[string]keptAgency{}} }

const agencyColumns = `a.code, a.name_th, a.name_en, a.kind, a.parent_code,
	ARRAY(SELECT aa.area_code FROM agency_area aa WHERE aa.agency_code = a.code ORDER BY aa.area_code)`

// AgenciesByCode returns the agencies with the given codes, from those kept when
// fresh (their objects are shared: read them, never change them).
func (s *AgencyStore) AgenciesByCode(ctx context.Context, codes []string) (map[string]*agency.Agency, error) {
	out := make(map[string]*agency.Agency, len(codes))
	var missing []string
	now := time.Now()
	s.mu.Lock()
	for _, c := range codes {
		if k, ok := s.kept[c]; ok && now.Before(k.until) {
			out[c] = k.agency
		} else {
			missing = append(missing, c)
		}
	}
	s.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+agencyColumns+` FROM agency a WHERE a.code = ANY($1)`, missing)
	as, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[agency.Agency])
	if err != nil {
		return nil, pgError(err, "agencies by code")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range as {
		out[a.Code] = a
		s.kept[a.Code] = keptAgency{agency: a, until: now.Add(agencyFreshFor)}
	}
	return out, nil
}

// Kept returns the agency with the given code when it is kept and fresh, without
// reading the database.
func (s *AgencyStore) Kept(code string) (*agency.Agency, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.kept[code]
	if !ok || !time.Now().Before(k.until) {
		return nil, false
	}
	return k.agency, true
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
