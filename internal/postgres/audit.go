package postgres

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
)

// AuditEntry is one entry of the audit trail (migration 00020).
type AuditEntry struct {
	Seq           int64
	At            time.Time
	RequestID     *string
	Subject       *string
	AgencyCode    *string
	Role          *string
	Kind          string // query, mutation, subscription, import, upload
	Phase         string // begin, end
	OperationName *string
	QueryHash     *string
	Variables     json.RawMessage
	Outcome       *string // ok, error, refused (end entries)
	ErrorCodes    []string
	DurationMS    *float64
	ClientAddr    *string
	PrevHash      string
	Hash          string
}

// AuditStore appends to the audit trail and reads it.
type AuditStore struct{ db *DB }

// NewAuditStore returns an AuditStore on db.
func NewAuditStore(db *DB) *AuditStore { return &AuditStore{db: db} }

// Append writes an entry in a transaction of its own (committed before the call
// returns, whatever happens to the request afterwards); the database chains it.
func (s *AuditStore) Append(ctx context.Context, e *AuditEntry) error {
	var vars any
	if len(e.Variables) > 0 {
		vars = e.Variables
	}
	_, err := s.db.Pool.Exec(context.WithoutCancel(ctx), `INSERT INTO audit_entry (seq, request_id, subject, agency_code, role, kind, phase,
			operation_name, query_hash, variables, outcome, error_codes, duration_ms, client_addr, prev_hash, hash)
		VALUES (0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '', '')`,
		e.RequestID, e.Subject, e.AgencyCode, e.Role, e.Kind, e.Phase, e.OperationName, e.QueryHash, vars,
		e.Outcome, e.ErrorCodes, e.DurationMS, e.ClientAddr)
	return pgError(err, "audit")
}

// AuditFilter selects audit entries. Nil fields do not filter.
type AuditFilter struct {
	AgencyCode    *string
	Subject       *string
	OperationName *string
	From, To      *time.Time
}

const auditColumns = `seq, at, request_id, subject, agency_code, role, kind, phase, operation_name, query_hash, variables,
	outcome, error_codes, duration_ms, client_addr, prev_hash, hash`

func auditQuery(f AuditFilter) *query {
	q := newQuery()
	if f.AgencyCode != nil {
		q.and("agency_code = @agency", pgx.NamedArgs{"agency": *f.AgencyCode})
	}
	if f.Subject != nil {
		q.and("subject = @subject", pgx.NamedArgs{"subject": *f.Subject})
	}
	if f.OperationName != nil {
		q.and("operation_name = @operation", pgx.NamedArgs{"operation": *f.OperationName})
	}
	if f.From != nil {
		q.and("at >= @from", pgx.NamedArgs{"from": *f.From})
	}
	if f.To != nil {
		q.and("at < @to", pgx.NamedArgs{"to": *f.To})
	}
	return q
}

// Entries returns a page of the entries matching f, newest first (admins only).
func (s *AuditStore) Entries(ctx context.Context, p *auth.Principal, f AuditFilter, pg Page) ([]*AuditEntry, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	q := auditQuery(f)
	if pg.After != "" {
		seq, err := afterInt64(pg.After)
		if err != nil {
			return nil, err
		}
		q.and("seq < @after", pgx.NamedArgs{"after": seq})
	}
	q.args["limit"] = pg.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+auditColumns+` FROM audit_entry`+q.where()+` ORDER BY seq DESC LIMIT @limit`, q.args)
	es, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[AuditEntry])
	return es, pgError(err, "audit entries")
}

// CountEntries counts the entries matching f (admins only).
func (s *AuditStore) CountEntries(ctx context.Context, p *auth.Principal, f AuditFilter) (int, error) {
	if err := requireAdmin(p); err != nil {
		return 0, err
	}
	q := auditQuery(f)
	var n int
	err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_entry`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count audit entries")
}

// AuditBreak is a place where the chain does not hold.
type AuditBreak struct {
	Seq    int64
	Reason string
}

// Verify walks the whole chain from its anchor and reports every entry whose hash
// does not match its content (altered), whose previous hash is not the hash of the
// entry before it, or whose number does not follow it (removed or inserted out of
// place). It returns how many entries it checked.
func (s *AuditStore) Verify(ctx context.Context) (int64, []AuditBreak, error) {
	rows, err := s.db.Pool.Query(ctx, `
		WITH anchor AS (SELECT pruned_through, last_hash FROM audit_anchor ORDER BY pruned_through DESC LIMIT 1),
		chain AS (
			SELECT e.seq, e.hash, e.prev_hash, audit_entry_hash(e) AS recomputed,
				coalesce(lag(e.seq) OVER w, (SELECT pruned_through FROM anchor), 0) AS prev_seq,
				coalesce(lag(e.hash) OVER w, (SELECT last_hash FROM anchor), '') AS prev_hash_expected
			FROM audit_entry e WINDOW w AS (ORDER BY e.seq))
		SELECT seq, CASE
				WHEN hash <> recomputed THEN 'its content does not match its hash: altered'
				WHEN seq <> prev_seq + 1 THEN 'entries ' || (prev_seq + 1) || '–' || (seq - 1) || ' are missing: removed'
				WHEN prev_hash <> prev_hash_expected THEN 'it does not follow the entry before it: inserted out of place, or that entry was altered'
			END, count(*) OVER ()
		FROM chain`)
	if err != nil {
		return 0, nil, pgError(err, "verify audit")
	}
	var breaks []AuditBreak
	var checked int64
	var b AuditBreak
	var reason *string
	_, err = pgx.ForEachRow(rows, []any{&b.Seq, &reason, &checked}, func() error {
		if reason != nil {
			breaks = append(breaks, AuditBreak{Seq: b.Seq, Reason: *reason})
		}
		return nil
	})
	return checked, breaks, pgError(err, "verify audit")
}

// Prune removes the entries older than before, anchoring the chain at the last one
// removed; it returns how many went.
func (s *AuditStore) Prune(ctx context.Context, before time.Time, by string) (int64, error) {
	var n int64
	err := s.db.Pool.QueryRow(ctx, `SELECT audit_prune($1, $2)`, before, by).Scan(&n)
	return n, pgError(err, "prune audit")
}

// Head returns the last entry's number and hash ("" when the trail is empty): kept
// elsewhere, it shows later whether entries were removed from the end.
func (s *AuditStore) Head(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := s.db.Pool.QueryRow(ctx, `SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if err == pgx.ErrNoRows {
		return 0, "", nil
	}
	return seq, hash, pgError(err, "audit head")
}

// AuditImport records a file import (entry says whose, what, how) before it runs —
// running nothing, and answering SERVICE_UNAVAILABLE, when that entry cannot be
// written — runs it, and records its outcome: refused (FORBIDDEN), error (another
// error, or rows rejected) or ok. A failure to record the outcome goes to log.
func (s *AuditStore) AuditImport(ctx context.Context, log *slog.Logger, entry AuditEntry, run func() (*FileImport, error)) (*FileImport, error) {
	begin := entry
	begin.Phase = "begin"
	if err := s.Append(ctx, &begin); err != nil {
		log.ErrorContext(ctx, "audit entry not written: import refused", "err", err)
		return nil, apperr.New(apperr.Unavailable, "the audit trail cannot be written now, so nothing is imported: try again")
	}
	started := time.Now()
	res, err := run()
	end := entry
	end.Phase = "end"
	outcome, ms := "ok", float64(time.Since(started).Microseconds())/1000
	switch {
	case err != nil && apperr.CodeOf(err) == apperr.Forbidden:
		outcome, end.ErrorCodes = "refused", []string{string(apperr.Forbidden)}
	case err != nil:
		outcome, end.ErrorCodes = "error", []string{string(apperr.CodeOf(err))}
	case res.Rejected > 0:
		outcome, end.ErrorCodes = "error", []string{string(apperr.BadUserInput)}
	}
	end.Outcome, end.DurationMS = &outcome, &ms
	if aerr := s.Append(ctx, &end); aerr != nil {
		log.ErrorContext(ctx, "audit entry not written", "err", aerr, "phase", "end")
	}
	return res, err
}
