// Package server assembles the hub's HTTP surface: /graphql, the IDE at /, the SDL at
// /schema.graphql and the health checks. cmd/prasan and the end-to-end tests build
// the same handler with New.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prasan-hub/prasan/graph"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/events"
	"github.com/prasan-hub/prasan/internal/ide"
	"github.com/prasan-hub/prasan/internal/metrics"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/request"
	"github.com/prasan-hub/prasan/internal/tracing"
	"github.com/vektah/gqlparser/v2/formatter"
)

// Options tune the server.
type Options struct {
	// MaxBodyBytes caps a request body (1 MiB if 0).
	MaxBodyBytes int64
	// LoaderWait is how long loaders wait to batch keys.
	LoaderWait time.Duration
	// Limits cap each operation (graph.DefaultLimits when zero).
	Limits graph.Limits
	// RateLimits cap each caller's requests a second (none when zero).
	RateLimits RateLimits
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// Verifier checks the bearer tokens of /graphql. Required.
	Verifier *auth.Verifier
	// PrivateSchema requires a token for /schema.graphql too.
	PrivateSchema bool
}

// Server is the hub's HTTP handler with what it needs to answer health checks.
type Server struct {
	db       *postgres.DB
	log      *slog.Logger
	migrator *postgres.Migrator
	verifier *auth.Verifier
	policy   *policyCache
	handler  http.Handler
	metrics  *metrics.Metrics
	rate     *rateLimiter
	// closing ends the subscriptions and the event listener (CloseSubscriptions).
	closing context.Context
	close   context.CancelFunc
	events  *events.Broker
	sockets sync.WaitGroup
	// ingest is the resolvers' ingestion store, shared with the upload endpoint
	ingest *postgres.IngestStore
}

// New builds the server on db.
func New(db *postgres.DB, log *slog.Logger, opts Options) (*Server, error) {
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.Verifier == nil {
		return nil, errors.New("server: no token verifier")
	}
	m, err := postgres.NewMigrator(db)
	if err != nil {
		return nil, err
	}
	r := graph.NewResolver(db)
	if opts.Now != nil {
		r.Now = opts.Now
	}
	closing, closeAll := context.WithCancel(context.Background())
	broker := events.NewBroker(db, log)
	go broker.Run(closing)
	r.Events = broker
	s := &Server{db: db, log: log, migrator: m, verifier: opts.Verifier,
		policy:  &policyCache{store: postgres.NewAccessStore(db), ttl: 2 * time.Second},
		metrics: metrics.New(db.Pool, broker.Open), closing: closing, close: closeAll, events: broker,
		ingest: r.IngestStore}
	if opts.RateLimits.Default > 0 || len(opts.RateLimits.PerRole) > 0 {
		s.rate = newRateLimiter(opts.RateLimits)
	}
	r.PolicyChanged = s.policy.invalidate
	gql := graph.NewHandler(r, log, graph.HandlerConfig{LoaderWait: opts.LoaderWait, Limits: opts.Limits, Metrics: s.metrics,
		Authenticate: func(ctx context.Context, token string) (*auth.Principal, error) {
			return s.principal(ctx, token, "", "")
		},
		Closing: closing})
	sdl := printSchema()

	mux := http.NewServeMux()
	mux.Handle("/graphql", limitBody(opts.MaxBodyBytes, s.authenticate(gql)))
	var schema http.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(sdl))
	})
	if opts.PrivateSchema {
		schema = s.authenticate(schema)
	}
	mux.Handle("GET /schema.graphql", schema)
	mux.Handle("POST /upload/{kind}", s.authenticate(http.HandlerFunc(s.upload)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.metrics.Handler())
	mux.Handle("/", ide.Handler("/graphql"))
	s.handler = s.logRequests(tracing.Middleware(route, mux))
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// CloseSubscriptions ends every subscription, each with a close frame saying why
// (1001), stops listening for events, and waits (until ctx ends) for the
// WebSockets to be closed: the first step of a shutdown, as the HTTP server's own
// does not wait for them.
func (s *Server) CloseSubscriptions(ctx context.Context) {
	open := s.events.Open() > 0
	s.close()
	done := make(chan struct{})
	go func() { s.sockets.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return
	}
	if open {
		// the WebSocket library finishes each close handshake in the background,
		// after its handler returns: give the close frames a moment to go out
		select {
		case <-time.After(250 * time.Millisecond):
		case <-ctx.Done():
		}
	}
}

// EventsReady is closed once the server listens for the database's events.
func (s *Server) EventsReady() <-chan struct{} { return s.events.Ready() }

// Close releases what the server holds (not the database pool).
func (s *Server) Close() error {
	s.close()
	return s.migrator.Close()
}

// ready answers 200 when the database answers and every migration is applied.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready: database unreachable", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "database unreachable"})
		return
	}
	current, err := s.migrator.Current(ctx)
	if err != nil || !current {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "migrations pending"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// authenticate lets through only requests with a valid bearer token, and gives them
// the caller and its scope. Others get 401 (403 for a valid token without the
// role asked for) with a GraphQL error and no data.
func (s *Server) authenticate(next http.Handler) http.Handler {
	cfg := s.verifier.Config()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			// a browser cannot set the header on a WebSocket: the token comes in
			// the connection's first message (see graph.HandlerConfig.Authenticate)
			next.ServeHTTP(w, r)
			return
		}
		if !ok || strings.TrimSpace(raw) == "" {
			refuse(w, apperr.New(apperr.Unauthenticated, "send a bearer token: Authorization: Bearer <JWT>"))
			return
		}
		p, err := s.principal(ctx, strings.TrimSpace(raw), r.Header.Get(cfg.RoleHeader), r.Header.Get(cfg.PurposeHeader))
		if err != nil {
			if apperr.CodeOf(err) == apperr.Unavailable {
				writeJSON(w, http.StatusServiceUnavailable, map[string]any{"errors": []map[string]any{{
					"message": err.Error(), "extensions": map[string]any{"code": string(apperr.Unavailable)}}}})
				return
			}
			refuse(w, err)
			return
		}
		if !s.limitRate(p, w) {
			return
		}
		if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
			info.sub, info.role, info.agency, info.purpose = p.Subject, string(p.Role), p.Agency, p.Purpose
		}
		next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(ctx, p)))
	})
}

// principal verifies a token and applies the access policy to its caller.
func (s *Server) principal(ctx context.Context, token, role, purpose string) (*auth.Principal, error) {
	p, err := s.verifier.Verify(ctx, token, role, purpose)
	if err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			s.log.ErrorContext(ctx, "token verification failed", "err", err)
		}
		return nil, err
	}
	pol, err := s.policy.get(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "access policy unavailable", "err", err)
		return nil, apperr.New(apperr.Unavailable, "the access policy cannot be read; try again")
	}
	pol.Apply(p)
	return p, nil
}

// refuse answers a request that may not proceed, as a GraphQL error with no data.
func refuse(w http.ResponseWriter, err error) {
	code, status := apperr.CodeOf(err), http.StatusUnauthorized
	msg := "authentication failed"
	if ae, ok := apperr.As(err); ok {
		msg = ae.Message
	}
	if code == apperr.Forbidden {
		status = http.StatusForbidden
	} else {
		code = apperr.Unauthenticated
		w.Header().Set("WWW-Authenticate", `Bearer realm="prasan"`)
	}
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": string(code)}}}})
}

func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"errors": []map[string]any{{
				"message": "request body too large", "extensions": map[string]any{"code": "BAD_REQUEST"}}}})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}

type requestIDKey struct{}

// requestInfo collects what the request log line says about the caller.
type requestInfo struct{ sub, role, agency, purpose string }

type requestInfoKey struct{}

// RequestID returns the id of the request ctx belongs to.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// logRequests gives each request an id (the client's X-Request-ID when it is sane),
// returns it in the response and logs the request once it is done.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-ID")
		if len(id) == 0 || len(id) > 64 || strings.ContainsFunc(id, func(c rune) bool { return c < '!' || c > '~' }) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-ID", id)
		info := &requestInfo{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey{}, id), requestInfoKey{}, info)
		ctx = request.With(ctx, request.Info{ID: id, ClientAddr: clientAddr(r)})
		ctx, statements := postgres.CountStatements(ctx)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))
		s.metrics.Request(route(r.URL.Path), rec.status, statements())
		if r.URL.Path == "/healthz" || strings.HasPrefix(r.URL.Path, "/ide/") {
			return
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "request", slog.String("request_id", id), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Int("status", rec.status), slog.Int64("duration_ms", time.Since(start).Milliseconds()),
			slog.String("sub", info.sub), slog.String("role", info.role), slog.String("agency", info.agency), slog.String("purpose", info.purpose))
	})
}

// route names a request's path for metrics, from a fixed set.
func route(path string) string {
	switch {
	case path == "/graphql", path == "/healthz", path == "/readyz", path == "/metrics", path == "/schema.graphql":
		return path
	case strings.HasPrefix(path, "/upload/"):
		return "/upload/{kind}"
	}
	return "other"
}

// clientAddr is the client's address: the connection's peer (a proxy in front is
// the operator's to configure; X-Forwarded-For is not trusted by default).
func clientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// printSchema renders the executable schema as SDL, descriptions included.
func printSchema() string {
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithComments()).FormatSchema(graph.NewExecutableSchema(graph.Config{}).Schema())
	return b.String()
}

// SDL is the schema as served at /schema.graphql.
func SDL() string { return printSchema() }

// Unwrap lets http.ResponseController reach the underlying writer (flushing,
// hijacking).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// policyCache keeps the access policy in memory, read again at most every ttl (and
// at once after a change made through this server), so that a request costs no
// extra statement. A change made through another replica takes effect within ttl.
type policyCache struct {
	store *postgres.AccessStore
	ttl   time.Duration

	mu     sync.Mutex
	policy *auth.Policy
	at     time.Time
}

func (c *policyCache) get(ctx context.Context) (*auth.Policy, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.policy != nil && time.Since(c.at) < c.ttl {
		return c.policy, nil
	}
	// Read outside the request's context: the policy serves every request.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(context.Background()), 5*time.Second)
	defer cancel()
	p, err := c.store.Policy(rctx)
	if err != nil {
		if c.policy != nil && time.Since(c.at) < time.Minute {
			return c.policy, nil // a brief database hiccup: keep the last policy
		}
		return nil, err
	}
	c.policy, c.at = p, time.Now()
	return p, nil
}

func (c *policyCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.policy = nil
}
