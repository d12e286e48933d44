package postgres

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/parallel"
)

// replaceStaged puts the rows judged selects (from the staging table, with what
// judging found) in place of the staging table, under its name, and analyses
// the columns analysed: a table of their own, as an update would leave every
// staged row behind, dead, for each later statement of the batch to scan past.
func replaceStaged(ctx context.Context, tx pgx.Tx, staging, judged, analysed string, args pgx.NamedArgs) error {
	for _, sql := range []string{
		`CREATE TEMP TABLE ` + staging + `_judged ON COMMIT DROP AS ` + judged,
		`DROP TABLE ` + staging,
		`ALTER TABLE ` + staging + `_judged RENAME TO ` + staging,
		`ANALYZE ` + staging + ` (` + analysed + `)`,
	} {
		if _, err := tx.Exec(ctx, sql, args); err != nil {
			return err
		}
	}
	return nil
}

// copyRows feeds the good rows of a reader to COPY (a pgx.CopyFromSource),
// counting every row, reporting progress every 10,000, and tallying the bad ones:
// it is how both the village and the records pipelines stage what they read. The
// rows are read in order and checked on every core (parsing and checking a
// national file took most of its COPY), and come to COPY in the order read.
type copyRows struct {
	// next yields one row: its values for COPY, or the fault that rejects it;
	// io.EOF at the end.
	next func() (checkedRow, error)
	stop func()
	tally
	progress func(rows int)
	values   []any
	err      error
}

// checkedRow is a row as checked: its values for COPY, or the fault that
// rejects it.
type checkedRow struct {
	values []any
	fault  *ingest.FileError
}

// readRow is a row as read, or the fault found reading it.
type readRow[R any] struct {
	row   R
	fault *ingest.FileError
}

// newCopyRows feeds COPY the rows read returns (in order, from one goroutine),
// each checked by check (on several goroutines at once: check must be safe for
// that). Close must be called once COPY is done with it.
func newCopyRows[R any](t tally, progress func(rows int), read func() (R, *ingest.FileError, error),
	check func(R) ([]any, *ingest.FileError)) *copyRows {
	next, stop := parallel.MapInOrder(func() (readRow[R], error) {
		row, fault, err := read()
		return readRow[R]{row, fault}, err
	}, func(r readRow[R]) checkedRow {
		if r.fault != nil {
			return checkedRow{fault: r.fault}
		}
		values, fault := check(r.row)
		return checkedRow{values, fault}
	})
	return &copyRows{next: next, stop: stop, tally: t, progress: progress}
}

// Close lets the goroutines reading and checking rows go.
func (c *copyRows) Close() { c.stop() }

// tally counts the rows read and the rejected ones, keeping the first max faults.
type tally struct {
	rows, rejected *int
	faults         *[]ingest.FileError
	max            int
}

func (t tally) reject(e ingest.FileError) {
	*t.rejected++
	if len(*t.faults) < t.max {
		*t.faults = append(*t.faults, e)
	}
}

func (c *copyRows) Next() bool {
	for {
		row, err := c.next()
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			c.err = err
			return false
		}
		*c.rows++
		if c.progress != nil && *c.rows%10000 == 0 {
			c.progress(*c.rows)
		}
		if row.fault != nil {
			c.reject(*row.fault)
			continue
		}
		c.values = row.values
		return true
	}
}

func (c *copyRows) Values() ([]any, error) { return c.values, nil }
func (c *copyRows) Err() error             { return c.err }

// analyseAfterRows is the size of a batch after which the tables it wrote are
// analysed as soon as it is in: statistics of a table before a national file
// came in let the planner scan all of its assertions for every later batch, even
// one of three records (3.1 s, against 0.1 s once analysed), until autovacuum got
// to it — if it runs at all.
var analyseAfterRows = 10_000

// ingestTablesAnalysed are the ingestion's own tables a large batch writes, each
// with the columns statements look rows up by (values are never compared whole).
var ingestTablesAnalysed = []string{
	`assertion (entity, entity_key, field, agency_code)`,
	`assertion_history (entity, entity_key, field, agency_code)`,
	`source_record (agency_code, kind, source_id, entity_key)`,
	`field_baseline (entity, entity_key, field)`,
}

// analyseWritten refreshes the statistics of the tables a committed batch of rows
// records wrote: the ingestion's own and objects (the kind's table). Statistics
// only: a failure leaves them as autovacuum keeps them, and the batch stands.
func (s *IngestStore) analyseWritten(ctx context.Context, rows int, objects string) {
	if rows < analyseAfterRows {
		return
	}
	for _, table := range slices.Concat(ingestTablesAnalysed, []string{objects}) {
		if _, err := s.db.Pool.Exec(ctx, `ANALYZE `+table); err != nil {
			return
		}
	}
}

// keyTable are the statements that make name a temporary table of the distinct
// keys keysSQL selects (entity_key, in byte order), analysed: made by a query
// rather than filled through a primary key (a national file's keys, one by one
// into an index, took 1.6–1.8 s).
func keyTable(name, keysSQL string) []string {
	return []string{
		`DROP TABLE IF EXISTS ` + name,
		`CREATE TEMP TABLE ` + name + ` ON COMMIT DROP AS
			SELECT DISTINCT k::text COLLATE "C" AS entity_key FROM (` + keysSQL + `) AS keys(k) WHERE k IS NOT NULL`,
		`ANALYZE ` + name,
	}
}
