package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/activity"
	"github.com/prasan-hub/prasan/internal/auth"
)

// ActivitiesByVillage returns the prevention activities held in the given
// villages that scope may see, latest first.
func (s *IngestStore) ActivitiesByVillage(ctx context.Context, sc auth.Scope, codes []string) (map[string][]*activity.Activity, error) {
	q := newQuery().and("pa.village_code = ANY(@codes)", pgx.NamedArgs{"codes": codes}).
		and(sc.AreaPredicate("pa.village_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT pa.id, pa.ingest_key, pa.agency_code, pa.village_code, pa.held_on, pa.activity_type,
			pa.title, pa.participants, pa.program_code
		FROM prevention_activity pa`+q.where()+` ORDER BY pa.village_code, pa.held_on DESC, pa.id DESC`, q.args)
	as, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[activity.Activity])
	return groupRows(as, err, "prevention activities", func(a *activity.Activity) string { return a.VillageCode })
}
