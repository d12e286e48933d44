package postgres_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
)

// The hub's sessions reuse generic plans, bulk writes plan for their rows within
// their transaction only, and a URL naming plan_cache_mode keeps its own.
func TestPlanCacheMode(t *testing.T) {
	url := pgtest.NewURL(t)
	mode := func(db *postgres.DB) string {
		var m string
		if err := db.Pool.QueryRow(t.Context(), `SHOW plan_cache_mode`).Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	db, err := postgres.Open(t.Context(), postgres.Config{URL: url, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if m := mode(db); m != "force_generic_plan" {
		t.Errorf("sessions plan with %q, want force_generic_plan", m)
	}
	var inside string
	if err := pgx.BeginFunc(t.Context(), db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(t.Context(), postgres.CustomPlans); err != nil {
			return err
		}
		return tx.QueryRow(t.Context(), `SHOW plan_cache_mode`).Scan(&inside)
	}); err != nil {
		t.Fatal(err)
	}
	if inside != "auto" {
		t.Errorf("a bulk write plans with %q, want auto", inside)
	}
	if m := mode(db); m != "force_generic_plan" {
		t.Errorf("after a bulk write the session plans with %q", m)
	}

	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	own, err := postgres.Open(t.Context(), postgres.Config{URL: url + sep + "plan_cache_mode=force_custom_plan"})
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	if m := mode(own); m != "force_custom_plan" {
		t.Errorf("the URL's plan_cache_mode gave %q", m)
	}
}
