// Package postgres is the hub's store: every SQL statement lives here. Each exported
// method takes the caller's scope and applies it in its SQL, owns its transaction,
// and translates driver errors into application errors.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/tracing"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// DB is a connection pool to the hub's database.
type DB struct {
	Pool *pgxpool.Pool
}

// Config says how to connect.
type Config struct {
	URL string
	// MaxConns caps the pool; 0 keeps pgx's default (the larger of 4 and the CPUs).
	MaxConns int32
	// StatementTimeout ends statements that run longer; 0 keeps the server's default.
	StatementTimeout time.Duration
}

// Open connects to the database and checks that it answers.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if cfg.MaxConns > 0 {
		pc.MaxConns = cfg.MaxConns
	}
	if cfg.StatementTimeout > 0 {
		pc.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(cfg.StatementTimeout.Milliseconds())
	}
	// Reads are short statements whose plans do not depend on their parameters (key
	// lookups, scope ranges), and planning them anew on every execution was most of
	// the database's time per request (0.1–0.5 ms a statement, against 0.01–0.08 ms
	// to run it). So prepared statements keep one generic plan; the bulk writes,
	// whose plans do depend on how many rows are staged, set customPlans in their
	// transaction. A URL that names plan_cache_mode keeps its own.
	if _, set := pc.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		pc.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	pc.ConnConfig.RuntimeParams["application_name"] = "prasan"
	pc.ConnConfig.RuntimeParams["timezone"] = "Asia/Bangkok"
	pc.ConnConfig.Tracer = statementTracer{}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", redactURL(cfg.URL), err)
	}
	return &DB{Pool: pool}, nil
}

// customPlans has a transaction's statements planned for their parameters on every
// execution (PostgreSQL's default), for set-based writes whose best plan depends on
// how many rows a batch stages; the pool's sessions otherwise reuse generic plans.
const customPlans = `SET LOCAL plan_cache_mode = auto`

// noJIT keeps a bulk write's statements from PostgreSQL's JIT compiler: their
// estimated costs, over hundreds of thousands of staged rows, pass its thresholds,
// and compiling their many expressions (a second for the judging of a national
// file) cost more than it saved — a national file of plan items took 40.0–46.1 s
// without it against 45.9–50.9 s with it, two pairs.
const noJIT = `SET LOCAL jit = off`

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.Pool.Ping(ctx) }

// redactURL hides the password of a connection URL for logs and errors.
func redactURL(u string) string {
	cfg, err := pgconn.ParseConfig(u)
	if err != nil {
		return "(unparsable database url)"
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// RedactURL hides the password of a connection URL, for logs.
func RedactURL(u string) string { return redactURL(u) }

// statementTracer counts the statements run on behalf of a context that carries a
// counter (see CountStatements).
type statementTracer struct{}

type counterKey struct{}

// CountStatements returns a context that counts the SQL statements run on its
// behalf, and a function that reads the count.
func CountStatements(ctx context.Context) (context.Context, func() int64) {
	n := new(atomic.Int64)
	// counters nest: an outer one (a test's) keeps counting inside an inner one (the server's)
	outer, _ := ctx.Value(counterKey{}).([]*atomic.Int64)
	return context.WithValue(ctx, counterKey{}, append(outer[:len(outer):len(outer)], n)), n.Load
}

func (statementTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	counters, _ := ctx.Value(counterKey{}).([]*atomic.Int64)
	for _, n := range counters {
		n.Add(1)
	}
	if trace.SpanFromContext(ctx).IsRecording() {
		var span trace.Span
		ctx, span = tracing.Tracer().Start(ctx, "sql", trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system", "postgresql"), attribute.String("db.query.text", firstLine(data.SQL))))
		ctx = context.WithValue(ctx, sqlSpanKey{}, span)
	}
	return ctx
}

// TraceBatchQuery counts each statement of a batch: a batch is one round trip, but
// every statement in it is still run.
func (statementTracer) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchQueryData) {
	counters, _ := ctx.Value(counterKey{}).([]*atomic.Int64)
	for _, n := range counters {
		n.Add(1)
	}
}

func (statementTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (statementTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// sqlSpanKey marks the span a statement started, the only one its end ends.
type sqlSpanKey struct{}

func (statementTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	span, ok := ctx.Value(sqlSpanKey{}).(trace.Span)
	if !ok {
		return
	}
	if data.Err != nil {
		span.RecordError(data.Err)
	}
	span.End()
}

// firstLine is a statement's first line, trimmed: enough to tell it in a trace.
func firstLine(sql string) string {
	sql = strings.TrimSpace(sql)
	if i := strings.IndexByte(sql, '\n'); i > 0 {
		sql = sql[:i]
	}
	return sql
}

// pgError translates a driver error into an application error: not found, conflict
// or invalid input where the database says so; anything else stays internal.
func pgError(err error, op string) error {
	var pe *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return apperr.New(apperr.NotFound, "%s: not found", op)
	case errors.As(err, &pe):
		switch pe.Code {
		case "23505":
			return apperr.New(apperr.Conflict, "%s: already exists", op)
		case "23503":
			return apperr.New(apperr.BadUserInput, "%s: refers to something that does not exist", op)
		case "23514", "22003", "22001", "22007", "22008":
			return apperr.New(apperr.BadUserInput, "%s: value out of range", op)
		case "57014": // query_canceled: the statement timeout
			return apperr.New(apperr.Timeout, "%s: the database took longer than the statement timeout; ask for less (a smaller page, a narrower filter)", op)
		case "40P01", "40001": // deadlock_detected, serialization_failure
			return apperr.New(apperr.Conflict, "%s: another write to the same data ran at the same time and the database stopped this one; nothing was written: send it again", op)
		}
	}
	if unreachable(err) {
		return apperr.New(apperr.Unavailable, "%s: the database cannot be reached now; try again shortly", op)
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

// transient reports whether PostgreSQL aborted a transaction for a deadlock or a
// serialization failure with another running at the same time: nothing of it was
// written, and the same work usually passes once the other is done.
func transient(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// txAttempts is how many times inTx runs a transaction aborted as transient.
const txAttempts = 3

// inTx runs fn in a transaction, as pgx.BeginFunc does; with again, a transaction
// aborted as transient runs again from the start, after a pause, up to txAttempts
// times in all (fn must then start from its inputs each time).
func inTx(ctx context.Context, db *DB, again bool, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, db.Pool, fn)
		if !again || !transient(err) || attempt == txAttempts {
			return err
		}
		select {
		case <-time.After(time.Duration(attempt) * 100 * time.Millisecond):
		case <-ctx.Done():
			return err
		}
	}
}

// unreachable tells an error of a database out of reach: no connection, a
// connection lost, or a server shutting down or starting.
func unreachable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		pgconn.Timeout(err) || strings.Contains(err.Error(), "conn closed")
}

// query builds a WHERE clause from optional conditions with named arguments.
type query struct {
	conds []string
	args  namedArgs
}

func newQuery() *query { return &query{args: namedArgs{}} }

// and adds a condition with its named arguments.
func (q *query) and(cond string, args map[string]any) *query {
	q.conds = append(q.conds, cond)
	for k, v := range args {
		q.args[k] = v
	}
	return q
}

// where returns " WHERE c1 AND c2 …", or "" with no conditions.
func (q *query) where() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

// within keeps the rows whose area code column col lies inside the area a filter
// names (any level, Thai digits allowed); a malformed code is BAD_USER_INPUT about
// filter.areaCode. A nil code does not filter.
func (q *query) within(col string, areaCode *string) error {
	if areaCode == nil {
		return nil
	}
	code, err := area.ParseCode(*areaCode)
	if err != nil {
		return apperr.Invalid("filter.areaCode", "%s", err)
	}
	q.and(prefixRange(col, "area"), pgx.NamedArgs{"area": code})
	return nil
}

// prefixRange is the condition that col starts with the area code in named argument
// name, written as a range so that a btree index on col (C collation) serves it.
func prefixRange(col, name string) string {
	return "(" + col + " >= @" + name + " AND " + col + " < @" + name + " || ':')"
}
