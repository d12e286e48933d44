package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/postgres/pgtest"
	"github.com/prasan-hub/prasan/internal/server"
)

// tcpProxy forwards connections to a database, and can cut them all and refuse
// new ones, as a database restart or a network failure would.
type tcpProxy struct {
	target, addr string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func newTCPProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			d, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, d)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(d, c); d.Close() }()
			go func() { _, _ = io.Copy(c, d); c.Close() }()
		}
	}()
}

// cut closes every connection and stops listening.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// restore listens again on the same address.
func (p *tcpProxy) restore(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

// While the database is out of reach, /readyz says so and requests get
// SERVICE_UNAVAILABLE; when it is back, the hub serves again without a restart.
func TestDatabaseOutage_ReadinessAndRecovery(t *testing.T) {
	u, err := url.Parse(pgtest.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newTCPProxy(t, u.Host)
	u.Host = proxy.addr
	db, err := postgres.Open(t.Context(), postgres.Config{URL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	keyFile := filepath.Join(t.TempDir(), "local.key")
	if _, err := auth.EnsureLocalKey(keyFile); err != nil {
		t.Fatal(err)
	}
	cfg, _ := auth.LoadConfig("", keyFile)
	verifier, err := auth.NewVerifier(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{Verifier: verifier})
	if err != nil {
		t.Fatal(err)
	}
	token, _ := auth.MintLocal(keyFile, auth.TokenRequest{Subject: "a", Roles: []auth.Role{auth.RoleAdmin}, TTL: time.Hour}, time.Now())
	ready := func() int {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return rec.Code
	}
	query := func() (int, string) {
		// (villages, not provinces: the reference geography is read once and held)
		body, _ := json.Marshal(map[string]any{"query": `{ villages(first: 1) { nodes { code } } }`})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		var r struct {
			Errors []struct{ Extensions map[string]any }
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &r)
		code := ""
		if len(r.Errors) > 0 {
			code, _ = r.Errors[0].Extensions["code"].(string)
		}
		return rec.Code, code
	}
	if c := ready(); c != http.StatusOK {
		t.Fatalf("ready before: %d", c)
	}
	if _, code := query(); code != "" {
		t.Fatalf("query before: %s", code)
	}

	proxy.cut()
	if c := ready(); c != http.StatusServiceUnavailable {
		t.Errorf("ready while cut: %d", c)
	}
	if status, code := query(); code != "SERVICE_UNAVAILABLE" {
		t.Errorf("query while cut: HTTP %d, code %q", status, code)
	}

	proxy.restore(t)
	deadline := time.Now().Add(10 * time.Second)
	for ready() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("not ready 10 s after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, code := query(); code != "" {
		t.Errorf("query after: %s", code)
	}
}
