// Package pgtest gives each test a fresh database of its own, cloned from a template
// that has every migration and the reference geography applied. It uses
// PRASAN_TEST_DATABASE_URL (a superuser's URL to the maintenance database) when set,
// otherwise it finds or starts a server as `prasan serve` does; it never skips.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/localpg"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/refdata"
	"github.com/prasan-hub/prasan/migrations"
)

var (
	once     sync.Once
	server   *localpg.Server
	template string
	setupErr error
)

// New returns a connection pool to a new database for this test, dropped when the
// test ends.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	url := NewURL(t)
	db, err := postgres.Open(t.Context(), postgres.Config{URL: url})
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// NewURL creates a new database for this test and returns its URL; the database is
// dropped when the test ends.
func NewURL(t testing.TB) string {
	t.Helper()
	once.Do(func() { setupErr = setup() })
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
	ctx := context.Background()
	name := "prasan_test_" + randomSuffix()
	conn, err := pgx.Connect(ctx, server.AdminURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, server.AdminURL)
		if err != nil {
			t.Errorf("pgtest: drop database: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("pgtest: drop database: %v", err)
		}
	})
	return server.URLFor(name)
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// setup finds the server and builds the template once per version of the
// migrations and reference data; concurrent test processes wait on a lock.
func setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if u := os.Getenv("PRASAN_TEST_DATABASE_URL"); u != "" {
		server = &localpg.Server{AdminURL: u}
	} else {
		s, err := localpg.Find(ctx, slog.New(slog.NewTextHandler(os.Stderr, nil)))
		if err != nil {
			return err
		}
		server = s
	}
	version, err := schemaVersion()
	if err != nil {
		return err
	}
	template = "prasan_tmpl_" + version
	conn, err := pgx.Connect(ctx, server.AdminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext('prasan.pgtest.template'))`); err != nil {
		return err
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock(hashtext('prasan.pgtest.template'))`) //nolint:errcheck
	var ready bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)`, template).Scan(&ready); err != nil {
		return err
	}
	if ready {
		return nil
	}
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+template+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+template+` ENCODING 'UTF8' TEMPLATE template0`); err != nil {
		return err
	}
	if err := build(ctx, server.URLFor(template)); err != nil {
		return fmt.Errorf("build template: %w", err)
	}
	_, err = conn.Exec(ctx, `ALTER DATABASE `+template+` IS_TEMPLATE true`)
	return err
}

func build(ctx context.Context, url string) error {
	db, err := postgres.Open(ctx, postgres.Config{URL: url})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := postgres.NewMigrator(db)
	if err != nil {
		return err
	}
	defer m.Close()
	if _, err := m.Up(ctx); err != nil {
		return err
	}
	ref, err := refdata.LoadAdminAreas()
	if err != nil {
		return err
	}
	_, err = postgres.LoadAdminAreas(ctx, db, ref)
	return err
}

// schemaVersion digests the migrations and the reference data, so that a change to
// either builds a new template.
func schemaVersion() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\n%s\n", path, b)
		return nil
	})
	if err != nil {
		return "", err
	}
	ref, err := refdata.LoadAdminAreas()
	if err != nil {
		return "", err
	}
	h.Write([]byte(ref.SHA256))
	return strings.ToLower(hex.EncodeToString(h.Sum(nil))[:16]), nil
}
