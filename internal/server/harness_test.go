package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/demo"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
	"github.com/prasan-hub/prasan/internal/server"
)

// fixedNow is the clock of the tests: a day in fiscal year 2565.
var fixedNow = time.Date(2022, time.June, 1, 9, 0, 0, 0, time.UTC)

// hub is a server on a fresh database, called through its real handler, with the
// local issuer's key in a temporary file. Requests carry an admin token unless the
// test says otherwise.
type hub struct {
	t       testing.TB
	db      *postgres.DB
	srv     *server.Server
	keyFile string
	token   string
	headers map[string]string
}

func newHub(t testing.TB, withDemo bool) *hub {
	t.Helper()
	return newHubWith(t, withDemo, server.Options{})
}

// newHubWith is newHub with server options (the clock, loader wait and verifier
// are the harness's).
func newHubWith(t testing.TB, withDemo bool, opts server.Options) *hub {
	t.Helper()
	var logOut io.Writer = io.Discard
	if os.Getenv("TEST_LOG") != "" {
		logOut = os.Stderr
	}
	return newHubLogging(t, withDemo, opts, logOut)
}

// newHubLogging is newHubWith with the server's log written to logOut.
func newHubLogging(t testing.TB, withDemo bool, opts server.Options, logOut io.Writer) *hub {
	t.Helper()
	db := pgtest.New(t)
	if withDemo {
		if _, err := postgres.LoadDemo(t.Context(), db, demo.New()); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(logOut, nil))
	keyFile := filepath.Join(t.TempDir(), "local.key")
	if _, err := auth.EnsureLocalKey(keyFile); err != nil {
		t.Fatal(err)
	}
	cfg, err := auth.LoadConfig("", keyFile)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := auth.NewVerifier(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wait, _ := time.ParseDuration(os.Getenv("TEST_LOADER_WAIT"))
	if opts.LoaderWait == 0 {
		opts.LoaderWait = wait
	}
	opts.Now, opts.Verifier = func() time.Time { return fixedNow }, verifier
	srv, err := server.New(db, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	h := &hub{t: t, db: db, srv: srv, keyFile: keyFile}
	h.token = h.mint(auth.TokenRequest{Subject: "test-admin", Roles: []auth.Role{auth.RoleAdmin}})
	return h
}

// mint signs a token of the local issuer, valid an hour unless the request says.
func (h *hub) mint(r auth.TokenRequest) string {
	h.t.Helper()
	if r.TTL == 0 {
		r.TTL = time.Hour
	}
	t, err := auth.MintLocal(h.keyFile, r, time.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	return t
}

// with returns a copy of the hub whose requests carry a header.
func (h *hub) with(name, value string) *hub {
	c := *h
	c.headers = map[string]string{name: value}
	return &c
}

// as returns a copy of the hub whose requests carry token.
func (h *hub) as(token string) *hub {
	c := *h
	c.token = token
	return &c
}

// gqlError is an error of a GraphQL response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// response is a decoded GraphQL response.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	status int
}

// code returns the extensions.code of the first error, or "".
func (r response) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// field returns the extensions.field of the first error, or "".
func (r response) field() string {
	if len(r.Errors) == 0 {
		return ""
	}
	f, _ := r.Errors[0].Extensions["field"].(string)
	return f
}

// do posts a query and decodes the answer, counting the SQL statements it ran.
func (h *hub) do(ctx context.Context, query string, vars map[string]any) (response, int64) {
	h.t.Helper()
	return h.doWith(ctx, map[string]any{"query": query, "variables": vars})
}

// doWith posts a request body of any shape (extensions, operationName).
func (h *hub) doWith(ctx context.Context, request map[string]any) (response, int64) {
	h.t.Helper()
	body, _ := json.Marshal(request)
	ctx, count := postgres.CountStatements(ctx)
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	for k, v := range h.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	var r response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		h.t.Fatalf("decode response %q: %v", rec.Body.String(), err)
	}
	r.status = rec.Code
	return r, count()
}

// query runs a query that must succeed and decodes its data into out.
func (h *hub) query(query string, vars map[string]any, out any) {
	h.t.Helper()
	r, _ := h.do(h.t.Context(), query, vars)
	if len(r.Errors) > 0 {
		h.t.Fatalf("query failed: %+v\n%s", r.Errors, query)
	}
	if err := json.Unmarshal(r.Data, out); err != nil {
		h.t.Fatalf("decode data %s: %v", r.Data, err)
	}
}

// fail runs a query that must fail and returns the response.
func (h *hub) fail(query string, vars map[string]any) response {
	h.t.Helper()
	r, _ := h.do(h.t.Context(), query, vars)
	if len(r.Errors) == 0 {
		h.t.Fatalf("query succeeded, want an error: %s\n%s", r.Data, query)
	}
	return r
}

// count runs SQL that returns one number, to check what was (not) written.
func (h *hub) count(sql string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.Pool.QueryRow(h.t.Context(), sql, args...).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// text runs SQL that returns one text value, to compare what is stored.
func (h *hub) text(sql string, args ...any) string {
	h.t.Helper()
	var s string
	if err := h.db.Pool.QueryRow(h.t.Context(), sql, args...).Scan(&s); err != nil {
		h.t.Fatal(err)
	}
	return s
}

// newBenchHub is a hub with the demo and 500 seeded villages (Chiang Rai onwards).
func newBenchHub(b *testing.B) *hub {
	h := newHub(b, true)
	seedVillages(b, h, 500)
	if _, err := h.db.Pool.Exec(b.Context(), `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return h
}
