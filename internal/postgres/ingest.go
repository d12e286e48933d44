package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/ingest"
)

// IngestStore takes agencies' records in batches: set-based (the records go into a
// temporary table by COPY, then a few statements judge and merge them all), all or
// nothing, with the sender's sourceIds and every value kept as an assertion of the
// sending agency.
type IngestStore struct {
	db *DB
	// areas holds the reference geography, and the gazetteer built from it
	areas *AreaStore
}

// NewIngestStore returns an IngestStore on db, resolving place names with the
// reference geography of areas.
func NewIngestStore(db *DB, areas *AreaStore) *IngestStore { return &IngestStore{db: db, areas: areas} }

// villagesOf returns a lookup of a subdistrict's villages for matching by name,
// reading each subdistrict once per call. It reads on the pool, not in the caller's
// transaction (which may be busy copying rows).
func (s *IngestStore) villagesOf(ctx context.Context) ingest.VillagesOf {
	cache := map[string][]ingest.Place{}
	var mu sync.Mutex // records are checked on several goroutines at once
	return func(sub string) ([]ingest.Place, error) {
		mu.Lock()
		defer mu.Unlock()
		if vs, ok := cache[sub]; ok {
			return vs, nil
		}
		rows, _ := s.db.Pool.Query(ctx, `SELECT code, parent_code, name_th FROM area WHERE parent_code = $1 AND length(code) = 8`, sub)
		vs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ingest.Place])
		if err != nil {
			return nil, err
		}
		cache[sub] = vs
		return vs, nil
	}
}

// Sender is who sends a batch: the agency the records speak for, the token's
// subject, and the channel.
type Sender struct {
	Agency  string
	Subject string
	Channel ingest.Channel
	File    *string
}

// errRollback ends a transaction that must write nothing.
var errRollback = errors.New("rollback")

// UpsertVillages merges village records of the sender's agency. Records outside the
// write scope, naming an unknown subdistrict, or reusing a sourceId for another
// village are rejected; with any rejection, or in a dry run, nothing is written and
// the other records say what would have happened.
func (s *IngestStore) UpsertVillages(ctx context.Context, write auth.Scope, from Sender, records []ingest.VillageRecord, dryRun bool) (*ingest.Batch, error) {
	if write.IsNone() {
		return nil, apperr.New(apperr.Forbidden, "your role may not send village records")
	}
	if from.Agency == "" {
		return nil, apperr.New(apperr.Forbidden, "your token names no agency: records are kept per agency")
	}
	if len(records) > ingest.MaxRecords {
		return nil, apperr.Invalid("input.records", "at most %d records a call, got %d", ingest.MaxRecords, len(records))
	}
	g, err := s.areas.Gazetteer(ctx)
	if err != nil {
		return nil, err
	}
	unresolved := map[int][2]string{}
	villages := s.villagesOf(ctx)
	for i := range records {
		if field, msg := records[i].Resolve(g, villages); field != "" {
			unresolved[i] = [2]string{field, msg}
		}
	}
	results := ingest.CheckVillages(records)
	for i, fault := range unresolved {
		results[i].Status, results[i].Key = "", nil
		results[i].Reject(fault[0], "%s", fault[1])
	}
	b := &ingest.Batch{DryRun: dryRun, Results: results}
	// Run again from the start should the database stop it for another write: an
	// attempt that got that far set only statuses of records it did not reject, which
	// the next attempt sets anew (any rejection rolls back for good).
	err = inTx(ctx, s.db, true, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, customPlans); err != nil {
			return err
		}
		if err := lockKind(ctx, tx, "village"); err != nil {
			return err
		}
		if err := stageVillages(ctx, tx, from, apperr.New(apperr.Forbidden, "your token's agency %q is not known to the hub", from.Agency)); err != nil {
			return err
		}
		rows := make([][]any, 0, len(records))
		for i, v := range records {
			if results[i].Status == ingest.StatusRejected {
				continue
			}
			rows = append(rows, []any{i, v.SourceID, v.Code, v.NameTh, v.NameEn, v.Households, v.Population, v.Hash()})
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"village_in"},
			[]string{"idx", "source_id", "code", "name_th", "name_en", "households", "population", "payload_hash"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		// What only the database can judge.
		args := write.NamedArgs()
		args["agency"] = from.Agency
		judged, err := tx.Query(ctx, judgeVillages(write)+` ORDER BY vi.idx`, args)
		if err != nil {
			return err
		}
		var idx int
		var fault, boundTo *string
		var status string
		_, err = pgx.ForEachRow(judged, []any{&idx, &fault, &boundTo, &status}, func() error {
			r := results[idx]
			switch deref(fault) {
			case "code":
				r.Reject("code", "no subdistrict %s: the first six digits of a village code are its subdistrict's", records[idx].Code[:6])
			case "code:scope":
				r.Reject("code", "village %s is outside the areas you may write", records[idx].Code)
			case "sourceId":
				r.Reject("sourceId", "sourceId %q of your agency names village %s, not %s", records[idx].SourceID, *boundTo, records[idx].Code)
			default:
				r.Status = ingest.Status(status)
			}
			return nil
		})
		if err != nil {
			return err
		}
		b.Count()
		if b.Rejected > 0 || dryRun {
			return errRollback
		}
		if _, err := tx.Exec(ctx, `UPDATE village_in vi SET status = $1 WHERE vi.idx = ANY($2)`, "UNCHANGED", unchangedIdx(results)); err != nil {
			return err
		}
		id, err := applyVillages(ctx, tx, from, len(records), b.Created, b.Updated, b.Unchanged)
		b.ID, b.Applied = &id, err == nil
		return err
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, pgError(err, "upsert villages")
	}
	if b.Applied {
		s.analyseWritten(ctx, len(records), "area")
	}
	return b, nil
}

// stageVillages checks the sender's agency (unknown gives the error given) and creates
// the temporary table village_in that a batch's records are copied into.
func stageVillages(ctx context.Context, tx pgx.Tx, from Sender, unknown error) error {
	var known bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM agency WHERE code = $1)`, from.Agency).Scan(&known); err != nil {
		return err
	}
	if !known {
		return unknown
	}
	_, err := tx.Exec(ctx, `CREATE TEMP TABLE village_in (idx int PRIMARY KEY, source_id text COLLATE "C", code text COLLATE "C",
		name_th text, name_en text, households int, population int, payload_hash text, status text) ON COMMIT DROP`)
	return err
}

// stagedVillageKeys are the columns of the staged villages (village_in) that
// statements join, group and filter on, and so the ones analysed.
const stagedVillageKeys = `idx, source_id, code`

// applyVillages records the batch of the staged, judged records and merges them.
func applyVillages(ctx context.Context, tx pgx.Tx, from Sender, records, created, updated, unchanged int) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO import_batch (agency_code, kind, channel, subject, file_name, record_count, created, updated, unchanged)
		VALUES ($1, 'village', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		from.Agency, from.Channel, from.Subject, from.File, records, created, updated, unchanged).Scan(&id); err != nil {
		return 0, err
	}
	return id, mergeVillages(ctx, tx, from, id)
}

// judgeVillages is the query that judges the staged records (village_in) with what
// only the database knows: the fault of each (an unknown subdistrict, outside the
// write scope, a sourceId of the agency already naming another village), the
// village a sourceId names, and the status the record would get.
func judgeVillages(write auth.Scope) string {
	return `
		SELECT vi.idx,
			CASE WHEN NOT EXISTS (SELECT 1 FROM area s WHERE s.code = left(vi.code, 6)) THEN 'code'
			     WHEN NOT ` + write.AreaPredicate("vi.code") + ` THEN 'code:scope'
			     WHEN sr.entity_key IS NOT NULL AND sr.entity_key <> vi.code THEN 'sourceId'
			END AS fault,
			sr.entity_key,
			CASE WHEN a.code IS NULL THEN 'CREATED' WHEN sr.payload_hash = vi.payload_hash THEN 'UNCHANGED' ELSE 'UPDATED' END
		FROM village_in vi
		LEFT JOIN area a ON a.code = vi.code
		LEFT JOIN source_record sr ON sr.agency_code = @agency AND sr.kind = 'village' AND sr.source_id = vi.source_id`
}

func unchangedIdx(results []*ingest.Result) []int32 {
	var out []int32
	for _, r := range results {
		if r.Status == ingest.StatusUnchanged {
			out = append(out, int32(r.Index))
		}
	}
	return out
}

// mergeVillages writes the staged records of batch: new villages, the agency's
// assertions with their history, the values shown (by precedence) and the
// sourceIds.
func mergeVillages(ctx context.Context, tx pgx.Tx, from Sender, batch int64) error {
	args := pgx.NamedArgs{"agency": from.Agency, "subject": from.Subject, "batch": batch}
	for _, sql := range slices.Concat([]string{
		// new villages get the record's values at once (no other agency has spoken
		// of them, so these are the values shown), marked as the batch's for undo
		`INSERT INTO area (code, parent_code, moo, name_th, name_en, households, population, is_demo, created_by_batch)
			SELECT code, left(code, 6), right(code, 2)::smallint, name_th, name_en, households, population, false, @batch FROM village_in
			ON CONFLICT (code) DO NOTHING`,
		// each fact the agency does not assert with this value already (those need
		// no writing), with its assertion of it, if any, found once (the agency's
		// village assertions change only under the kind's lock, held)
		`CREATE TEMP TABLE village_fact ON COMMIT DROP AS
			SELECT vi.code, vi.source_id, f.field, f.value, a.value AS old_value, a.entity IS NOT NULL AS known, ` + assertionBefore + `
			FROM village_in vi
			CROSS JOIN LATERAL (VALUES ('name_th', to_jsonb(vi.name_th)), ('name_en', to_jsonb(vi.name_en)),
				('households', to_jsonb(vi.households)), ('population', to_jsonb(vi.population))) AS f(field, value)
			LEFT JOIN assertion a ON a.entity = 'village' AND a.entity_key = vi.code AND a.field = f.field AND a.agency_code = @agency
			WHERE vi.status IS DISTINCT FROM 'UNCHANGED' AND f.value IS NOT NULL AND f.value <> 'null'::jsonb
				AND (a.entity IS NULL OR a.value <> f.value)`,
	}, historyOfChanges("'village'", "village_fact", "code", "code"), []string{
		`UPDATE assertion a SET value = f.value, source_id = f.source_id, batch_id = @batch, subject = @subject, asserted_at = now(),
				in_history = true
			FROM village_fact f
			WHERE f.known AND a.entity = 'village' AND a.entity_key = f.code AND a.field = f.field AND a.agency_code = @agency`,
		`INSERT INTO assertion (entity, entity_key, area_code, field, agency_code, value, source_id, batch_id, subject)
			SELECT 'village', code, code, field, @agency, value, source_id, @batch, @subject FROM village_fact WHERE NOT known`,
		// A change of a side reopens a resolved disagreement on that field.
		`UPDATE conflict_resolution cr SET reopened_at = now()
			WHERE cr.entity = 'village' AND cr.reopened_at IS NULL
				AND EXISTS (SELECT 1 FROM village_fact f WHERE f.code = cr.entity_key AND f.field = cr.field)`,
		// sourceIds the agency sent before are updated, new ones inserted (batches
		// of villages take turns) — cheaper, set-based, than an insert checking each
		// for a conflict
		`UPDATE source_record sr SET payload_hash = vi.payload_hash, batch_id = @batch, received_at = now()
			FROM village_in vi
			WHERE vi.status IS DISTINCT FROM 'UNCHANGED' AND sr.agency_code = @agency AND sr.kind = 'village' AND sr.source_id = vi.source_id`,
		`INSERT INTO source_record (agency_code, kind, source_id, entity_key, area_code, payload_hash, batch_id)
			SELECT @agency, 'village', vi.source_id, vi.code, vi.code, vi.payload_hash, @batch FROM village_in vi
			WHERE vi.status IS DISTINCT FROM 'UNCHANGED' AND NOT EXISTS (SELECT 1 FROM source_record sr
				WHERE sr.agency_code = @agency AND sr.kind = 'village' AND sr.source_id = vi.source_id)`,
	}, refreshDisagreements("'village'", disputedFacts("'village'", "village_fact", "code"))) {
		if _, err := tx.Exec(ctx, sql, args); err != nil {
			return err
		}
	}
	// The shown values change only where the village was there before: a village
	// this batch created has the record's values, and no other agency can speak of
	// it yet (its assertions come after the village, and batches take turns).
	// A village no other agency speaks of (alone) shows this agency's values, which
	// are the record's where it gives them: no precedence to work out.
	for _, sql := range []string{
		`CREATE TEMP TABLE village_shown ON COMMIT DROP AS
		SELECT vi.code, NOT EXISTS (SELECT 1 FROM assertion a WHERE a.entity = 'village' AND a.entity_key = vi.code AND a.agency_code <> @agency)
				AND NOT EXISTS (SELECT 1 FROM conflict_resolution cr WHERE cr.entity = 'village' AND cr.entity_key = vi.code) AS alone
		FROM village_in vi
		WHERE vi.status IS DISTINCT FROM 'UNCHANGED'
			AND NOT EXISTS (SELECT 1 FROM area a WHERE a.code = vi.code AND a.created_by_batch = @batch)`,
		`ANALYZE village_shown`,
		`UPDATE area SET name_th = coalesce(vi.name_th, area.name_th), name_en = coalesce(vi.name_en, area.name_en),
			households = coalesce(vi.households, area.households), population = coalesce(vi.population, area.population),
			is_demo = false, updated_at = now()
		FROM village_in vi JOIN village_shown s ON s.code = vi.code AND s.alone
		WHERE area.code = vi.code`,
	} {
		if _, err := tx.Exec(ctx, sql, args); err != nil {
			return err
		}
	}
	return showVillages(ctx, tx, `SELECT code FROM village_shown WHERE NOT alone`, nil)
}

// showVillages sets the values shown for the villages keysSQL selects: per field,
// the value of the agency a resolution in force chose, else of the agency whose
// kind comes first in the field's precedence, else the latest.
func showVillages(ctx context.Context, tx pgx.Tx, keysSQL string, args pgx.NamedArgs) error {
	_, err := tx.Exec(ctx, `WITH shown AS (
			SELECT DISTINCT ON (a.entity_key, a.field) a.entity_key, a.field, a.value
			FROM assertion a
			JOIN agency ag ON ag.code = a.agency_code
			LEFT JOIN field_precedence fp ON fp.entity = a.entity AND fp.field = a.field
			LEFT JOIN conflict_resolution cr ON cr.entity = a.entity AND cr.entity_key = a.entity_key AND cr.field = a.field
				AND cr.reopened_at IS NULL
			WHERE a.entity = 'village' AND a.entity_key IN (`+keysSQL+`)
			ORDER BY a.entity_key, a.field, (cr.chosen_agency = a.agency_code) IS TRUE DESC,
				coalesce(array_position(fp.agency_kinds, ag.kind), 1000), a.asserted_at DESC
		), v AS (
			SELECT entity_key,
				(array_agg(value) FILTER (WHERE field = 'name_th'))[1] #>> '{}' AS name_th,
				(array_agg(value) FILTER (WHERE field = 'name_en'))[1] #>> '{}' AS name_en,
				((array_agg(value) FILTER (WHERE field = 'households'))[1] #>> '{}')::int AS households,
				((array_agg(value) FILTER (WHERE field = 'population'))[1] #>> '{}')::int AS population
			FROM shown GROUP BY entity_key
		)
		UPDATE area SET name_th = coalesce(v.name_th, area.name_th), name_en = coalesce(v.name_en, area.name_en),
			households = coalesce(v.households, area.households), population = coalesce(v.population, area.population),
			is_demo = false, updated_at = now()
		FROM v WHERE area.code = v.entity_key`, args)
	return err
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// Assertion is one agency's current value for one field of an object.
type Assertion struct {
	Field      string
	Value      string
	AgencyCode string
	SourceID   string
	BatchID    int64
	Subject    *string
	AssertedAt time.Time
	Shown      bool
	EntityKey  string
	Entity     string
}

// ObjectRef names an object by its entity (a kind of record: village,
// village_plan, …) and key.
type ObjectRef struct{ Entity, Key string }

// Provenance returns the assertions on the given objects that scope may see, by
// field and precedence (the one shown first).
func (s *IngestStore) Provenance(ctx context.Context, sc auth.Scope, refs []ObjectRef) (map[ObjectRef][]*Assertion, error) {
	entities, keys := make([]string, len(refs)), make([]string, len(refs))
	for i, r := range refs {
		entities[i], keys[i] = r.Entity, r.Key
	}
	q := newQuery().and("(a.entity, a.entity_key) IN (SELECT * FROM unnest(@entities::text[], @keys::text[]))",
		pgx.NamedArgs{"entities": entities, "keys": keys}).
		and(sc.AreaPredicate("a.area_code"), sc.NamedArgs())
	rows, _ := s.db.Pool.Query(ctx, `SELECT a.field, a.value::text, a.agency_code, a.source_id, a.batch_id, a.subject, a.asserted_at,
			row_number() OVER (PARTITION BY a.entity, a.entity_key, a.field
				ORDER BY (cr.chosen_agency = a.agency_code) IS TRUE DESC,
					coalesce(array_position(fp.agency_kinds, ag.kind), 1000), a.asserted_at DESC) = 1,
			a.entity_key, a.entity
		FROM assertion a
		JOIN agency ag ON ag.code = a.agency_code
		LEFT JOIN field_precedence fp ON fp.entity = a.entity AND fp.field = a.field
		LEFT JOIN conflict_resolution cr ON cr.entity = a.entity AND cr.entity_key = a.entity_key AND cr.field = a.field
			AND cr.reopened_at IS NULL`+q.where()+`
		ORDER BY a.entity, a.entity_key, a.field, 8 DESC, a.asserted_at DESC`, q.args)
	as, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[Assertion])
	return groupRows(as, err, "provenance", func(a *Assertion) ObjectRef { return ObjectRef{a.Entity, a.EntityKey} })
}

// AssertionChange is one change of an agency's value for a field.
type AssertionChange struct {
	Field      string
	AgencyCode string
	OldValue   *string
	NewValue   *string
	BatchID    int64
	Subject    *string
	ChangedAt  time.Time
	EntityKey  string
	Entity     string
}

// History returns the changes of the assertions on the given objects that scope
// may see, newest first.
func (s *IngestStore) History(ctx context.Context, sc auth.Scope, refs []ObjectRef) (map[ObjectRef][]*AssertionChange, error) {
	entities, keys := make([]string, len(refs)), make([]string, len(refs))
	for i, r := range refs {
		entities[i], keys[i] = r.Entity, r.Key
	}
	q := newQuery().and(sc.AreaPredicate("h.area_code"), sc.NamedArgs())
	q.args["entities"], q.args["keys"] = entities, keys
	rows, _ := s.db.Pool.Query(ctx, `SELECT h.field, h.agency_code, h.old_value::text, h.new_value::text, h.batch_id, h.subject, h.changed_at,
			h.entity_key, h.entity
		FROM `+changesOf(`unnest(@entities::text[], @keys::text[])`)+` h`+q.where()+`
		ORDER BY h.entity, h.entity_key, h.changed_at DESC, h.id DESC NULLS LAST`, q.args)
	cs, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[AssertionChange])
	return groupRows(cs, err, "history", func(c *AssertionChange) ObjectRef { return ObjectRef{c.Entity, c.EntityKey} })
}

// recordsInScope counts, per agency and kind, the records held: all of them for
// a scope of everything; else those whose objects lie inside the scope (by the
// area their source records carry, as their assertions do).
func recordsInScope(sc auth.Scope) string {
	if sc.IsAll() {
		return `SELECT agency_code, kind, count(*) AS records FROM source_record GROUP BY 1, 2`
	}
	return `SELECT agency_code, kind, count(*) AS records FROM source_record sr
		WHERE ` + sc.AreaPredicate("sr.area_code") + ` GROUP BY 1, 2`
}

// Feed is what one agency has sent of one kind of record, and whether it is late.
type Feed struct {
	AgencyCode    string
	Kind          string
	LastBatchAt   *time.Time
	Batches       int
	Records       int
	ExpectedEvery *time.Duration
	Overdue       bool
}

// Feeds lists, per agency and kind, the batches received, the records held and
// whether the next batch is overdue against the expected schedule (as of now):
// every agency with a schedule or a batch. When a feed last sent is public; the
// records counted are only those inside scope.
func (s *IngestStore) Feeds(ctx context.Context, sc auth.Scope, now time.Time) ([]*Feed, error) {
	args := sc.NamedArgs()
	args["now"] = now
	rows, err := s.db.Pool.Query(ctx, `
		WITH b AS (SELECT agency_code, kind, max(received_at) AS last_at, count(*) AS batches FROM import_batch GROUP BY 1, 2),
		     r AS (`+recordsInScope(sc)+`),
		     k AS (SELECT agency_code, kind FROM b UNION SELECT agency_code, kind FROM feed_schedule)
		SELECT k.agency_code, k.kind, b.last_at, coalesce(b.batches, 0), coalesce(r.records, 0),
			extract(epoch FROM fs.expected_every)::bigint,
			fs.expected_every IS NOT NULL AND (b.last_at IS NULL OR b.last_at + fs.expected_every < @now)
		FROM k
		LEFT JOIN b USING (agency_code, kind)
		LEFT JOIN r USING (agency_code, kind)
		LEFT JOIN feed_schedule fs USING (agency_code, kind)
		ORDER BY k.agency_code, k.kind`, args)
	if err != nil {
		return nil, pgError(err, "feeds")
	}
	var out []*Feed
	var f Feed
	var every *int64
	_, err = pgx.ForEachRow(rows, []any{&f.AgencyCode, &f.Kind, &f.LastBatchAt, &f.Batches, &f.Records, &every, &f.Overdue}, func() error {
		c := f
		if every != nil {
			d := time.Duration(*every) * time.Second
			c.ExpectedEvery = &d
		}
		out = append(out, &c)
		return nil
	})
	return out, pgError(err, "feeds")
}

// UndoBatch takes back what a batch of records did: each assertion it changed
// returns to its value before the batch (or goes, if the batch brought it), the
// objects it created that nothing else now asserts or uses are removed, its
// sourceIds are forgotten (sending the same records again applies them anew), and
// the values shown are recomputed. Only the sending agency's writers of the kind
// (writeOf gives the caller's write scope per kind) or an admin may undo, and only
// while no later batch changed the same values.
func (s *IngestStore) UndoBatch(ctx context.Context, writeOf func(kind string) auth.Scope, by, agency string, admin bool, id int64) (*UndoneBatch, error) {
	var out UndoneBatch
	// undone again from the start should the database abort it for another write
	err := inTx(ctx, s.db, true, func(tx pgx.Tx) error {
		out = UndoneBatch{}
		if _, err := tx.Exec(ctx, customPlans); err != nil {
			return err
		}
		var kind, owner string
		var undone *time.Time
		err := tx.QueryRow(ctx, `SELECT kind, agency_code, undone_at FROM import_batch WHERE id = $1`, id).Scan(&kind, &owner, &undone)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return apperr.Invalid("input.id", "no batch with this id")
		case err != nil:
			return err
		}
		write := writeOf(kind)
		switch {
		case write.IsNone():
			return apperr.New(apperr.Forbidden, "your role may not undo %s batches", kind)
		case owner != agency && !admin:
			return apperr.New(apperr.Forbidden, "batch %d was sent by %s: only that agency or an admin may undo it", id, owner)
		}
		if err := lockKind(ctx, tx, kind); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT undone_at FROM import_batch WHERE id = $1 FOR UPDATE`, id).Scan(&undone); err != nil {
			return err
		}
		if undone != nil {
			return apperr.New(apperr.Conflict, "batch %d was undone already", id)
		}
		args := write.NamedArgs()
		args["batch"], args["by"], args["agency"], args["entity"] = id, by, owner, kind
		// the values the batch brought and nothing changed since are undone from
		// the history like the others
		if _, err := tx.Exec(ctx, batchArrivals, args); err != nil {
			return err
		}
		var outside int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM assertion_history h WHERE h.batch_id = @batch AND h.undo_of IS NULL
			AND NOT coalesce(`+write.AreaPredicate("h.area_code")+`, false)`, args).Scan(&outside); err != nil {
			return err
		}
		if outside > 0 {
			return apperr.New(apperr.Forbidden, "batch %d changed records outside the areas you may write", id)
		}
		var later *int64
		if err := tx.QueryRow(ctx, `SELECT min(l.batch_id) FROM assertion_history h
			JOIN assertion_history l ON l.entity = h.entity AND l.entity_key = h.entity_key AND l.field = h.field
				AND l.agency_code = h.agency_code AND l.id > h.id
			WHERE h.batch_id = @batch AND h.undo_of IS NULL
				AND NOT EXISTS (SELECT 1 FROM import_batch ub WHERE ub.id = l.batch_id AND ub.undone_at IS NOT NULL)`, args).Scan(&later); err != nil {
			return err
		}
		if later != nil {
			return apperr.New(apperr.Conflict, "batch %d changed the same values later: undo it first", *later)
		}
		for _, sql := range append([]string{
			`CREATE TEMP TABLE undo_fact ON COMMIT DROP AS
				SELECT h.entity, h.entity_key, h.area_code, h.field, h.agency_code, h.new_value, h.old_value,
					(SELECT p.batch_id FROM assertion_history p
						WHERE p.entity = h.entity AND p.entity_key = h.entity_key AND p.field = h.field
							AND p.agency_code = h.agency_code AND p.id < h.id
						ORDER BY p.id DESC LIMIT 1) AS prev_batch
				FROM assertion_history h
				WHERE h.batch_id = @batch AND h.undo_of IS NULL`,
			`INSERT INTO assertion_history (entity, entity_key, area_code, field, agency_code, old_value, new_value, batch_id, subject, undo_of)
				SELECT entity, entity_key, area_code, field, agency_code, new_value, old_value, @batch, @by, @batch FROM undo_fact`,
			`DELETE FROM assertion a USING undo_fact u
				WHERE a.entity = u.entity AND a.entity_key = u.entity_key AND a.field = u.field AND a.agency_code = u.agency_code
					AND u.old_value IS NULL`,
			`UPDATE assertion a SET value = u.old_value, batch_id = coalesce(u.prev_batch, a.batch_id), asserted_at = now(), subject = @by
				FROM undo_fact u
				WHERE a.entity = u.entity AND a.entity_key = u.entity_key AND a.field = u.field AND a.agency_code = u.agency_code
					AND u.old_value IS NOT NULL`,
			`UPDATE conflict_resolution cr SET reopened_at = now() FROM undo_fact u
				WHERE cr.entity = u.entity AND cr.entity_key = u.entity_key AND cr.field = u.field AND cr.reopened_at IS NULL`,
			`DELETE FROM source_record WHERE batch_id = @batch`,
		}, refreshDisagreements("@entity", `SELECT entity_key FROM undo_fact`)...) {
			if _, err := tx.Exec(ctx, sql, args); err != nil {
				return err
			}
		}
		// The objects the batch created go, unless something else now asserts or
		// uses them; the others show what is left.
		if kind == "village" {
			err = showVillages(ctx, tx, `SELECT DISTINCT entity_key FROM undo_fact`, nil)
		} else {
			showArgs := pgx.NamedArgs{"entity": kind, "batch": nil}
			err = showRecords(ctx, tx, kindSQLs[kind], `SELECT DISTINCT entity_key FROM undo_fact`, showArgs)
		}
		if err != nil {
			return err
		}
		remove := removeVillages
		if kind != "village" {
			remove = kindSQLs[kind].remove
		}
		rows, _ := tx.Query(ctx, remove, args)
		removed, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM undo_fact`).Scan(&out.ValuesReverted); err != nil {
			return err
		}
		out.ID, out.Kind, out.Removed = id, kind, removed
		_, err = tx.Exec(ctx, `UPDATE import_batch SET undone_at = now(), undone_by = @by WHERE id = @batch`, args)
		return err
	})
	if err != nil {
		return nil, pgError(err, "undo batch")
	}
	return &out, nil
}

// removeVillages removes the villages a batch (@batch) created that nothing else
// asserts or uses, returning their codes.
const removeVillages = `DELETE FROM area v
	WHERE v.created_by_batch = @batch AND v.level = 'VILLAGE'
		AND NOT EXISTS (SELECT 1 FROM assertion a WHERE a.entity = 'village' AND a.entity_key = v.code)
		AND NOT EXISTS (SELECT 1 FROM village_plan vp WHERE vp.village_code = v.code)
		AND NOT EXISTS (SELECT 1 FROM program_village pv WHERE pv.village_code = v.code)
		AND NOT EXISTS (SELECT 1 FROM budget_line bl WHERE bl.area_code = v.code)
		AND NOT EXISTS (SELECT 1 FROM agency_area aa WHERE aa.area_code = v.code)
		AND NOT EXISTS (SELECT 1 FROM prevention_activity pa WHERE pa.village_code = v.code)
	RETURNING v.code`

// lockKind makes batches of one kind of record (and their undoing and resolving)
// take turns: each judges and merges against the others' committed assertions, so
// that two agencies sending the same objects at once lose no value and the value
// shown follows precedence whatever the timing.
func lockKind(ctx context.Context, tx pgx.Tx, kind string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('prasan.ingest.' || $1))`, kind)
	return err
}

// UndoneBatch says what undoing a batch did.
type UndoneBatch struct {
	ID             int64
	Kind           string
	ValuesReverted int
	// Removed are the keys of the objects the batch had created that were removed.
	Removed []string
}

// FileImport is the outcome of importing a file.
type FileImport struct {
	BatchID   *int64
	DryRun    bool
	Applied   bool
	Rows      int
	Created   int
	Updated   int
	Unchanged int
	// Rejected counts the bad rows; Errors lists the first MaxFileErrors of them.
	Rejected int
	Errors   []ingest.FileError
}

// MaxFileErrors is how many bad rows a file import lists.
const MaxFileErrors = 1000

// villageRows stages a village file's good rows, collecting the bad ones.
func villageRows(r *ingest.VillageReader, g *ingest.Gazetteer, villages ingest.VillagesOf, out *FileImport, progress func(rows int)) *copyRows {
	type village struct {
		rec ingest.VillageRecord
		row int
	}
	read := func() (village, *ingest.FileError, error) {
		rec, row, fault, err := r.Next()
		return village{rec, row}, fault, err
	}
	return newCopyRows(tally{rows: &out.Rows, rejected: &out.Rejected, faults: &out.Errors, max: MaxFileErrors}, progress, read,
		func(v village) ([]any, *ingest.FileError) {
			rec := v.rec
			if field, msg := rec.Resolve(g, villages); field != "" {
				return nil, &ingest.FileError{Row: v.row, Column: field, Message: msg}
			}
			if field, msg := ingest.CheckVillage(&rec); field != "" {
				return nil, &ingest.FileError{Row: v.row, Column: field, Message: msg}
			}
			return []any{v.row, rec.SourceID, rec.Code, rec.NameTh, rec.NameEn, rec.Households, rec.Population, rec.Hash()}, nil
		})
}

// ImportVillages reads a file of village records of the sender's agency, streaming
// it into the database (COPY) in bounded memory, and merges it like UpsertVillages,
// in one transaction: with any bad row, or in a dry run, nothing is written. Rows are
// numbered as in the file; duplicates within the file reject the later rows.
func (s *IngestStore) ImportVillages(ctx context.Context, write auth.Scope, from Sender, r *ingest.VillageReader, dryRun bool, progress func(rows int)) (*FileImport, error) {
	if write.IsNone() {
		return nil, apperr.New(apperr.Forbidden, "your role may not send village records")
	}
	g, err := s.areas.Gazetteer(ctx)
	if err != nil {
		return nil, err
	}
	out := &FileImport{DryRun: dryRun}
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		// A file import is one large transaction: let its sorts and hashes use memory
		// rather than disk, and let it run as long as the file needs.
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '128MB'; SET LOCAL statement_timeout = 0; `+customPlans+`; `+noJIT); err != nil {
			return err
		}
		if err := lockKind(ctx, tx, "village"); err != nil {
			return err
		}
		if err := stageVillages(ctx, tx, from, apperr.Invalid("agency", "no agency with code %q", from.Agency)); err != nil {
			return err
		}
		src := villageRows(r, g, s.villagesOf(ctx), out, progress)
		defer src.Close()
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"village_in"},
			[]string{"idx", "source_id", "code", "name_th", "name_en", "households", "population", "payload_hash"}, src); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `ANALYZE village_in (`+stagedVillageKeys+`)`); err != nil {
			return err
		}
		// duplicates within the file
		rows, err := tx.Query(ctx, `
			SELECT idx, 'sourceId', first FROM (SELECT idx, min(idx) OVER (PARTITION BY source_id) AS first FROM village_in) d WHERE idx <> first
			UNION ALL
			SELECT idx, 'code', first FROM (SELECT idx, min(idx) OVER (PARTITION BY code) AS first FROM village_in) d WHERE idx <> first
			ORDER BY 1`)
		if err != nil {
			return err
		}
		var row, first int
		var column string
		if _, err := pgx.ForEachRow(rows, []any{&row, &column, &first}, func() error {
			src.reject(ingest.FileError{Row: row, Column: column, Message: fmt.Sprintf("the same %s as row %d", column, first)})
			return nil
		}); err != nil {
			return err
		}
		args := write.NamedArgs()
		args["agency"] = from.Agency
		// one pass of judging: statuses and faults together
		if err := replaceStaged(ctx, tx, "village_in", `SELECT r.idx, r.source_id, r.code, r.name_th, r.name_en, r.households, r.population,
				r.payload_hash, j.status, j.fault, j.entity_key AS bound_to
			FROM village_in r JOIN (`+judgeVillages(write)+`) AS j(idx, fault, entity_key, status) ON j.idx = r.idx`, stagedVillageKeys+`, status, bound_to`, args); err != nil {
			return err
		}
		judged, err := tx.Query(ctx, `SELECT idx, fault, bound_to FROM village_in WHERE fault IS NOT NULL ORDER BY idx`)
		if err != nil {
			return err
		}
		var fault string
		var boundTo *string
		if _, err := pgx.ForEachRow(judged, []any{&row, &fault, &boundTo}, func() error {
			switch fault {
			case "code":
				src.reject(ingest.FileError{Row: row, Column: "code", Message: "no such subdistrict: the first six digits of a village code are its subdistrict's"})
			case "code:scope":
				src.reject(ingest.FileError{Row: row, Column: "code", Message: "outside the areas you may write"})
			default:
				src.reject(ingest.FileError{Row: row, Column: "sourceId", Message: fmt.Sprintf("this sourceId of your agency names village %s", deref(boundTo))})
			}
			return nil
		}); err != nil {
			return err
		}
		sort.Slice(out.Errors, func(i, j int) bool { return out.Errors[i].Row < out.Errors[j].Row })
		if err := countByStatus(ctx, tx, "village_in", &out.Created, &out.Updated, &out.Unchanged); err != nil {
			return err
		}
		if out.Rejected > 0 || dryRun {
			return errRollback
		}
		id, err := applyVillages(ctx, tx, from, out.Rows, out.Created, out.Updated, out.Unchanged)
		out.BatchID, out.Applied = &id, err == nil
		return err
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, pgError(err, "import villages")
	}
	if out.Applied {
		s.analyseWritten(ctx, out.Rows, "area")
	}
	return out, nil
}
