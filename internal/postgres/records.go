package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/ingest"
)

// Writer is what a caller may write of a kind of record: where (the write scope),
// and whether only records of its own agency (a partner's own budget lines).
type Writer struct {
	Scope         auth.Scope
	OwnAgencyOnly bool
}

// WriterOf is what the caller p may write of kind k: where its role writes the
// kind, else (for a kind with an own-agency resource) its own agency's records
// where its role writes those.
func WriterOf(p *auth.Principal, k *ingest.Kind) Writer {
	if p == nil {
		return Writer{Scope: auth.Areas()}
	}
	if sc := p.WriteScope(k.Resource); !sc.IsNone() || k.OwnResource == "" {
		return Writer{Scope: sc}
	}
	return Writer{Scope: p.WriteScope(k.OwnResource), OwnAgencyOnly: true}
}

// recordSource yields the records of a batch one at a time: its position (an
// index from 0 for the API, a row for files) and the record as text, or a fault
// found while reading it. It returns io.EOF at the end.
type recordSource func() (pos int, raw ingest.Raw, fault *ingest.FileError, err error)

// outcome is what a batch of records did, or would do.
type outcome struct {
	BatchID                          *int64
	Applied                          bool
	Rows, Created, Updated, Rejected int
	Unchanged                        int
	// Faults are the rejected records' faults by position, at most maxFaults.
	Faults []ingest.FileError
	// Statuses and Keys are each staged record's, by position (only when asked).
	Statuses map[int]ingest.Status
	Keys     map[int]string
}

// stagedRecords stages the good records of a source, collecting the bad: each is
// parsed and checked by its kind, and a role that sends only its own agency's
// records is held to that.
func stagedRecords(k *ingest.Kind, from Sender, w Writer, g *ingest.Gazetteer, villages ingest.VillagesOf, src recordSource,
	out *outcome, maxFaults int, progress func(rows int)) *copyRows {
	type record struct {
		raw ingest.Raw
		pos int
	}
	read := func() (record, *ingest.FileError, error) {
		pos, raw, fault, err := src()
		return record{raw, pos}, fault, err
	}
	return newCopyRows(tally{rows: &out.Rows, rejected: &out.Rejected, faults: &out.Faults, max: maxFaults}, progress, read,
		func(r record) ([]any, *ingest.FileError) {
			rec, field, msg := k.Parse(r.raw, from.Agency, g, villages)
			if field != "" {
				return nil, &ingest.FileError{Row: r.pos, Column: field, Message: msg}
			}
			if f := k.SenderField; w.OwnAgencyOnly && f != "" && rec.Values.Str(f) != from.Agency {
				return nil, &ingest.FileError{Row: r.pos, Column: f, Message: fmt.Sprintf("your role sends only your own agency's (%s) records", from.Agency)}
			}
			return []any{r.pos, rec.SourceID, rec.Key, rec.Area, string(rec.JSON), rec.Hash}, nil
		})
}

// ingestRecords is the one pipeline of every kind of record but villages, for the
// API and for files: the records are checked one by one as they stream in, copied
// into a temporary table, judged there with what only the database knows, and —
// with no record rejected and not a dry run — merged set-based, in one
// transaction: the agency's assertions with their history, the values shown (by
// precedence) written into the objects' table, the sourceIds, the batch.
//
// With again (records the caller still holds), a transaction that PostgreSQL
// aborted for a deadlock or a serialization failure with another write runs again
// from the start, on the records again gives; a file, read once, is not.
func (s *IngestStore) ingestRecords(ctx context.Context, k *ingest.Kind, w Writer, from Sender, src recordSource, again func() recordSource,
	dryRun, listStatuses bool, maxFaults int, progress func(rows int)) (*outcome, error) {
	if w.Scope.IsNone() {
		return nil, apperr.New(apperr.Forbidden, "you may not send %s records: your role does not write them, or no areas are granted to you", k.Title)
	}
	if from.Agency == "" {
		return nil, apperr.New(apperr.Forbidden, "your token names no agency: records are kept per agency")
	}
	g, err := s.areas.Gazetteer(ctx)
	if err != nil {
		return nil, err
	}
	ks := kindSQLs[k.Name]
	var out *outcome
	attempts := 0
	err = inTx(ctx, s.db, again != nil, func(tx pgx.Tx) error {
		if attempts++; attempts > 1 {
			src = again()
		}
		out = &outcome{}
		if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '256MB'; SET LOCAL statement_timeout = 0; `+customPlans+`; `+noJIT); err != nil {
			return err
		}
		if err := lockKind(ctx, tx, k.Name); err != nil {
			return err
		}
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM agency WHERE code = $1)`, from.Agency).Scan(&known); err != nil {
			return err
		}
		if !known {
			return apperr.New(apperr.Forbidden, "agency %q is not known to the hub", from.Agency)
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE record_in (idx int PRIMARY KEY, source_id text COLLATE "C", entity_key text COLLATE "C",
			area_code text COLLATE "C", vals jsonb, payload_hash text) ON COMMIT DROP`); err != nil {
			return err
		}
		staged := stagedRecords(k, from, w, g, s.villagesOf(ctx), src, out, maxFaults, progress)
		defer staged.Close()
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"record_in"},
			[]string{"idx", "source_id", "entity_key", "area_code", "vals", "payload_hash"}, staged); err != nil {
			return err
		}
		// the columns statements join, group and filter on: the records' values
		// (large JSON documents, never compared whole) would take most of the time
		if _, err := tx.Exec(ctx, `ANALYZE record_in (`+stagedRecordKeys+`)`); err != nil {
			return err
		}
		args := w.Scope.NamedArgs()
		args["agency"], args["kind"], args["unit"] = from.Agency, k.Name, "row"
		if listStatuses {
			args["unit"] = "record"
		}
		if err := replaceStaged(ctx, tx, "record_in", ks.judge(w.Scope), stagedRecordKeys+`, status, bound_to`, args); err != nil {
			return err
		}
		faults, _ := tx.Query(ctx, `SELECT idx, fault_field, fault FROM record_in WHERE fault IS NOT NULL ORDER BY idx`)
		var f ingest.FileError
		if _, err := pgx.ForEachRow(faults, []any{&f.Row, &f.Column, &f.Message}, func() error {
			staged.reject(f)
			return nil
		}); err != nil {
			return err
		}
		sort.Slice(out.Faults, func(i, j int) bool { return out.Faults[i].Row < out.Faults[j].Row })
		if err := countStatuses(ctx, tx, out, listStatuses); err != nil {
			return err
		}
		if out.Rejected > 0 || dryRun {
			return errRollback
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO import_batch (agency_code, kind, channel, subject, file_name, record_count, created, updated, unchanged)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			from.Agency, k.Name, from.Channel, from.Subject, from.File, out.Rows, out.Created, out.Updated, out.Unchanged).Scan(&id); err != nil {
			return err
		}
		if err := mergeRecords(ctx, tx, k, ks, from, id); err != nil {
			return err
		}
		out.BatchID, out.Applied = &id, true
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, pgError(err, "send "+k.Title+" records")
	}
	if out.Applied {
		s.analyseWritten(ctx, out.Rows, ks.table)
	}
	return out, nil
}

// stagedRecordKeys are the columns of the staged records (record_in) that
// statements join, group and filter on, and so the ones analysed.
const stagedRecordKeys = `idx, source_id, entity_key, area_code`

// countByStatus counts the judged rows of a staging table (record_in, village_in)
// that no fault rejects, by status.
func countByStatus(ctx context.Context, tx pgx.Tx, staging string, created, updated, unchanged *int) error {
	rows, _ := tx.Query(ctx, `SELECT status, count(*) FROM `+staging+` WHERE fault IS NULL GROUP BY status`)
	var status ingest.Status
	var n int
	_, err := pgx.ForEachRow(rows, []any{&status, &n}, func() error {
		switch status {
		case ingest.StatusCreated:
			*created = n
		case ingest.StatusUpdated:
			*updated = n
		case ingest.StatusUnchanged:
			*unchanged = n
		}
		return nil
	})
	return err
}

// countStatuses counts the judged records by status, and lists each one's status
// and key when asked.
func countStatuses(ctx context.Context, tx pgx.Tx, out *outcome, list bool) error {
	if err := countByStatus(ctx, tx, "record_in", &out.Created, &out.Updated, &out.Unchanged); err != nil || !list {
		return err
	}
	out.Statuses, out.Keys = map[int]ingest.Status{}, map[int]string{}
	rows, _ := tx.Query(ctx, `SELECT idx, status, entity_key FROM record_in WHERE fault IS NULL`)
	var idx int
	var status ingest.Status
	var key string
	_, err := pgx.ForEachRow(rows, []any{&idx, &status, &key}, func() error {
		out.Statuses[idx], out.Keys[idx] = status, key
		return nil
	})
	return err
}

// mergeRecords writes the staged records of batch: the agency's assertions with
// their history, the sourceIds, and the values shown, written into the objects'
// table; objects the batch created are marked for undo.
func mergeRecords(ctx context.Context, tx pgx.Tx, k *ingest.Kind, ks *kindSQL, from Sender, batch int64) error {
	args := pgx.NamedArgs{"agency": from.Agency, "subject": from.Subject, "batch": batch, "entity": k.Name, "facts": k.FactNames()}
	statements := []string{
		// the fields of existing objects no agency has spoken of yet keep their
		// value as the baseline, shown when no assertion is left
		`INSERT INTO field_baseline (entity, entity_key, field, value)
			SELECT @entity, c.key, f.key, f.value
			FROM (` + ks.current + ` WHERE ri.status = 'UPDATED'
				-- only objects with a fact no agency asserts are read (on a re-send,
				-- none: the agency asserts them all)
				AND ri.entity_key IN (SELECT r.entity_key FROM record_in r CROSS JOIN unnest(@facts::text[]) AS k
					WHERE r.status = 'UPDATED' AND NOT EXISTS (SELECT 1 FROM assertion a
						WHERE a.entity = @entity AND a.entity_key = r.entity_key AND a.field = k))) AS c(key, v)
			CROSS JOIN LATERAL jsonb_each(c.v) AS f
			WHERE f.value <> 'null'::jsonb AND NOT EXISTS (SELECT 1 FROM assertion a
				WHERE a.entity = @entity AND a.entity_key = c.key AND a.field = f.key)
			ON CONFLICT DO NOTHING`,
		// each fact of the objects the batch updates that the agency does not assert
		// with this value already (those need no writing), with its assertion of it,
		// if any, found once (the agency's assertions of a kind change only under the
		// kind's lock, held)
		`CREATE TEMP TABLE record_fact ON COMMIT DROP AS
			SELECT ri.entity_key, ri.area_code, ri.source_id, f.key AS field, f.value, a.value AS old_value, a.entity IS NOT NULL AS known,
				` + assertionBefore + `
			FROM record_in ri ` + recordFacts + `
			LEFT JOIN assertion a ON a.entity = @entity AND a.entity_key = ri.entity_key AND a.field = f.key AND a.agency_code = @agency
			WHERE ri.status = 'UPDATED' AND f.value <> 'null'::jsonb AND (a.entity IS NULL OR a.value <> f.value)`,
	}
	statements = append(statements, historyOfChanges("@entity", "record_fact", "entity_key", "area_code")...)
	statements = append(statements,
		`UPDATE assertion a SET value = f.value, area_code = f.area_code, source_id = f.source_id,
				batch_id = @batch, subject = @subject, asserted_at = now(), in_history = true
			FROM record_fact f
			WHERE f.known AND a.entity = @entity AND a.entity_key = f.entity_key AND a.field = f.field AND a.agency_code = @agency`,
		`INSERT INTO assertion (entity, entity_key, area_code, field, agency_code, value, source_id, batch_id, subject)
			SELECT @entity, entity_key, area_code, field, @agency, value, source_id, @batch, @subject FROM record_fact WHERE NOT known`,
		// A change of a side reopens a resolved disagreement on that field.
		`UPDATE conflict_resolution cr SET reopened_at = now()
			FROM record_fact f
			WHERE cr.entity = @entity AND cr.entity_key = f.entity_key AND cr.field = f.field AND cr.reopened_at IS NULL`,
		// sourceIds the agency sent before (bound_to, found by the judge; imports of
		// a kind take turns) are updated, new ones inserted — a plain insert costs
		// less than one that checks for a conflict first
		`UPDATE source_record sr SET entity_key = ri.entity_key, area_code = ri.area_code, payload_hash = ri.payload_hash, batch_id = @batch,
				received_at = now()
			FROM record_in ri
			WHERE ri.status <> 'UNCHANGED' AND ri.bound_to IS NOT NULL
				AND sr.agency_code = @agency AND sr.kind = @entity AND sr.source_id = ri.source_id`,
		`INSERT INTO source_record (agency_code, kind, source_id, entity_key, area_code, payload_hash, batch_id)
			SELECT @agency, @entity, source_id, entity_key, area_code, payload_hash, @batch FROM record_in WHERE status <> 'UNCHANGED' AND bound_to IS NULL`,
	)
	// the objects created have no other side (nothing asserts an object that does
	// not exist): only the facts of updated ones can change a disagreement
	statements = append(statements, refreshDisagreements("@entity", disputedFacts("@entity", "record_fact", "entity_key"))...)
	for _, sql := range statements {
		if _, err := tx.Exec(ctx, sql, args); err != nil {
			return err
		}
	}
	// An object the batch creates has no other side: no other agency speaks of it
	// and it had no value before, so its values are the record's, with no
	// precedence to work out (most of a first import's records).
	if err := showRecords(ctx, tx, ks, `SELECT entity_key FROM record_in WHERE status = 'UPDATED'`, args, createdValues); err != nil {
		return err
	}
	// The facts of the objects the batch creates are new: nothing asserts anything
	// of an object that does not exist (an object goes only when nothing asserts
	// it: undo), so they are asserted straight from the records — most of a first
	// import's facts — last, once the other statements have looked the agency's
	// assertions up: these would only add to what they read, and to what the
	// planner, whose statistics do not count them yet, thinks them few (the values
	// shown of the objects updated were worked out by reading all 740,172
	// assertions of a national budget-line file, 0.46 s, when they came first).
	_, err := tx.Exec(ctx, `INSERT INTO assertion (entity, entity_key, area_code, field, agency_code, value, source_id, batch_id, subject)
		SELECT @entity, ri.entity_key, ri.area_code, f.key, @agency, f.value, ri.source_id, @batch, @subject
		FROM record_in ri `+recordFacts+`
		WHERE ri.status = 'CREATED' AND f.value <> 'null'::jsonb`, args)
	return err
}

// recordFacts joins each staged record (ri) to its facts (f: key, value), each
// looked up in the record by name rather than every field of it expanded.
const recordFacts = `CROSS JOIN LATERAL (SELECT k, ri.vals -> k FROM unnest(@facts::text[]) AS k) AS f(key, value)`

// createdValues selects the values shown of the objects the staged records create:
// the records' own values (materialize reads their facts only), with the parent
// the judge found.
const createdValues = `SELECT ri.entity_key, ri.vals, ri.parent_id FROM record_in ri WHERE ri.status = 'CREATED'`

// showRecords writes the values shown for the objects keysSQL selects into their
// table: per field, the value of the agency a resolution in force chose, else of
// the agency whose kind comes first in the field's precedence, else the latest.
// Objects written for the first time are marked as created by @batch. created,
// when given, selects (key, values) of objects whose values need no precedence.
func showRecords(ctx context.Context, tx pgx.Tx, ks *kindSQL, keysSQL string, args pgx.NamedArgs, created ...string) error {
	// the keys in a table of their own, analysed, so that the planner joins them
	// rather than scanning them once per assertion
	for _, sql := range keyTable("shown_key", keysSQL) {
		if _, err := tx.Exec(ctx, sql, args); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE shown_fact ON COMMIT DROP AS
		SELECT entity_key, jsonb_object_agg(field, value) AS v FROM (
			SELECT DISTINCT ON (entity_key, field) entity_key, field, value FROM (
				SELECT a.entity_key, a.field, a.value, (cr.chosen_agency = a.agency_code) IS TRUE AS chosen,
					coalesce(array_position(fp.agency_kinds, ag.kind), 1000) AS rank, a.asserted_at AS at
				FROM shown_key k
				JOIN assertion a ON a.entity = @entity AND a.entity_key = k.entity_key
				JOIN agency ag ON ag.code = a.agency_code
				LEFT JOIN field_precedence fp ON fp.entity = a.entity AND fp.field = a.field
				LEFT JOIN conflict_resolution cr ON cr.entity = a.entity AND cr.entity_key = a.entity_key AND cr.field = a.field
					AND cr.reopened_at IS NULL
				UNION ALL
				SELECT b.entity_key, b.field, b.value, false, 2000, b.captured_at
				FROM shown_key k JOIN field_baseline b ON b.entity = @entity AND b.entity_key = k.entity_key
			) sides
			ORDER BY entity_key, field, chosen DESC, rank, at DESC
		) s GROUP BY entity_key`, args); err != nil {
		return err
	}
	shown := `SELECT entity_key, v, NULL::bigint AS parent_id FROM shown_fact`
	for _, c := range created {
		shown += ` UNION ALL ` + c
	}
	if _, err := tx.Exec(ctx, `WITH shown AS (`+shown+`) `+ks.materialize, args); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DROP TABLE shown_fact`)
	return err
}

// UpsertRecords merges records of kind k sent through the API by the sender's
// agency: each record is answered (created, updated, unchanged or rejected with
// the field at fault); with any rejected, or in a dry run, nothing is written.
func (s *IngestStore) UpsertRecords(ctx context.Context, k *ingest.Kind, w Writer, from Sender, records []ingest.Raw, dryRun bool) (*ingest.Batch, error) {
	if len(records) > ingest.MaxRecords {
		return nil, apperr.Invalid("input.records", "at most %d records a call, got %d", ingest.MaxRecords, len(records))
	}
	recordsFromStart := func() recordSource {
		next := 0
		return func() (int, ingest.Raw, *ingest.FileError, error) {
			if next == len(records) {
				return 0, nil, nil, io.EOF
			}
			next++
			return next - 1, records[next-1], nil, nil
		}
	}
	out, err := s.ingestRecords(ctx, k, w, from, recordsFromStart(), recordsFromStart, dryRun, true, len(records), nil)
	if err != nil {
		return nil, err
	}
	b := &ingest.Batch{ID: out.BatchID, DryRun: dryRun, Applied: out.Applied, Results: make([]*ingest.Result, len(records))}
	for i, raw := range records {
		r := &ingest.Result{Index: i, SourceID: raw["sourceId"], Status: out.Statuses[i]}
		if key, ok := out.Keys[i]; ok {
			r.Key = &key
		}
		b.Results[i] = r
	}
	for _, f := range out.Faults {
		b.Results[f.Row].Status, b.Results[f.Row].Key = "", nil
		b.Results[f.Row].Reject(f.Column, "%s", f.Message)
	}
	b.Count()
	return b, nil
}

// ImportRecords reads a file of records of kind k of the sender's agency,
// streaming it into the database in bounded memory, through the same pipeline as
// UpsertRecords: with any bad row, or in a dry run, nothing is written. Rows are
// numbered as in the file; a row repeating an earlier row's sourceId or object is
// rejected.
func (s *IngestStore) ImportRecords(ctx context.Context, k *ingest.Kind, w Writer, from Sender, r *ingest.RecordReader, dryRun bool, progress func(rows int)) (*FileImport, error) {
	src := func() (int, ingest.Raw, *ingest.FileError, error) {
		raw, row, fault, err := r.Next()
		return row, raw, fault, err
	}
	out, err := s.ingestRecords(ctx, k, w, from, src, nil, dryRun, false, MaxFileErrors, progress)
	if err != nil {
		return nil, err
	}
	return &FileImport{BatchID: out.BatchID, DryRun: dryRun, Applied: out.Applied, Rows: out.Rows, Created: out.Created,
		Updated: out.Updated, Unchanged: out.Unchanged, Rejected: out.Rejected, Errors: out.Faults}, nil
}
