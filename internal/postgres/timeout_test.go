package postgres_test

import (
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
)

// A statement longer than the statement timeout is ended by the database and
// reported as STATEMENT_TIMEOUT, not as an internal error.
func TestStatementTimeout(t *testing.T) {
	url := pgtest.NewURL(t)
	db, err := postgres.Open(t.Context(), postgres.Config{URL: url, StatementTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	_, err = db.Pool.Exec(t.Context(), `SELECT pg_sleep(5)`)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the statement ran %s", took)
	}
	if e := postgres.PgError(err, "sleep"); apperr.CodeOf(e) != apperr.Timeout {
		t.Errorf("got %v (%s)", e, apperr.CodeOf(e))
	}
}
