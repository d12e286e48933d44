package localpg_test

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/localpg"
)

// On a machine with no PostgreSQL running, the hub creates and starts a cluster of
// its own; a second start finds it initialised.
func TestStart_PrivateCluster(t *testing.T) {
	parent, err := os.MkdirTemp("", "prasan-localpg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if err := os.Chmod(parent, 0o755); err != nil { // the postgres user must reach it when tests run as root
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "data")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := localpg.Start(t.Context(), log, dir, port); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = localpg.Stop(t.Context(), dir) })
	s := &localpg.Server{AdminURL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), Private: true, DataDir: dir}
	if err := s.EnsureDatabase(t.Context(), "prasan"); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureDatabase(t.Context(), "prasan"); err != nil {
		t.Fatalf("second EnsureDatabase: %v", err)
	}
	conn, err := pgx.Connect(t.Context(), s.URLFor("prasan"))
	if err != nil {
		t.Fatal(err)
	}
	var enc string
	if err := conn.QueryRow(t.Context(), `SHOW server_encoding`).Scan(&enc); err != nil || enc != "UTF8" {
		t.Errorf("encoding %q, %v; want UTF8", enc, err)
	}
	conn.Close(t.Context())
	if err := localpg.Stop(t.Context(), dir); err != nil {
		t.Fatal(err)
	}
	if err := localpg.Start(t.Context(), log, dir, port); err != nil {
		t.Fatalf("restart of an initialised cluster: %v", err)
	}
}

func TestURLFor(t *testing.T) {
	s := &localpg.Server{AdminURL: localpg.DefaultURL}
	if got, want := s.URLFor("prasan"), "postgres://postgres@127.0.0.1:5432/prasan?sslmode=disable"; got != want {
		t.Errorf("URLFor = %q, want %q", got, want)
	}
}
