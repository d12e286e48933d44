package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/loader"
	"github.com/prasan-hub/prasan/internal/metrics"
	"github.com/vektah/gqlparser/v2/ast"
)

// HandlerConfig tunes the GraphQL handler.
type HandlerConfig struct {
	// LoaderWait is how long loaders wait to batch keys (loader.DefaultWait if 0).
	LoaderWait time.Duration
	// Limits cap each operation's depth, cost and aliases (DefaultLimits when zero).
	Limits Limits
	// Metrics counts the operations (none when nil).
	Metrics *metrics.Metrics
	// Authenticate verifies a token sent in a WebSocket's first message and
	// applies the access policy (subscriptions are not served without it).
	Authenticate func(ctx context.Context, token string) (*auth.Principal, error)
	// Closing, once done, ends every subscription (the server is shutting down).
	Closing context.Context
	// Sockets counts the WebSockets open, until each is closed.
	Sockets *sync.WaitGroup
}

// NewHandler returns the /graphql handler: GET and POST per the GraphQL over HTTP
// specification, per-request loaders built with the scope in the request context,
// and the error presenter.
func NewHandler(r *Resolver, log *slog.Logger, cfg HandlerConfig) http.Handler {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r, Directives: DirectiveRoot{Personal: personal}}))
	wait := cfg.LoaderWait
	if wait == 0 {
		wait = loader.DefaultWait
	}
	stores := loader.Stores{Areas: r.AreaStore, Agencies: r.AgencyStore, Programs: r.ProgramStore,
		Plans: r.PlanStore, Budgets: r.BudgetStore, Meetings: r.MeetingStore, Ingest: r.IngestStore}
	if cfg.Authenticate != nil {
		srv.AddTransport(transport.Websocket{
			Implementation:        reasonsImplementation{},
			InitFunc:              websocketInit(cfg, stores, wait),
			InitTimeout:           10 * time.Second,
			KeepAlivePingInterval: 20 * time.Second,
			PingPongInterval:      20 * time.Second,
		})
	}
	srv.AddTransport(transport.GET{})
	srv.AddTransport(post{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	limits := cfg.Limits
	if limits == (Limits{}) {
		limits = DefaultLimits
	}
	srv.Use(auditedLimits{Limits: limits, trail: r.AuditStore, log: log})
	srv.Use(persistedQueryErrors{extension.AutomaticPersistedQuery{Cache: newPersistedQueries(r.OperationStore)}})
	srv.Use(allowList{operations: r.OperationStore, registered: lru.New[string](10000), trail: r.AuditStore, log: log})
	srv.SetErrorPresenter(errorPresenter(log))
	srv.SetRecoverFunc(recoverFunc(log))
	srv.AroundOperations(auditOperations(r.AuditStore, log))
	srv.AroundOperations(countOperations(cfg.Metrics))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withParsedArgs(withLevels(ctx)))
	})
	return withCloseWhy(cfg.Sockets, loader.Middleware(stores, auth.ScopeFrom, wait, srv))
}

// personal guards the fields marked @personal: callers whose role may not see
// personal data get null and a FORBIDDEN error saying why.
func personal(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	if err := personalDenied(ctx); err != nil {
		return nil, err
	}
	return next(ctx)
}

// personalDenied is the FORBIDDEN error for callers whose role may not see
// personal data; nil for the others.
func personalDenied(ctx context.Context) error {
	p := auth.PrincipalFrom(ctx)
	if p == nil || !p.SeesPersonalData() {
		role := "anonymous"
		if p != nil {
			role = string(p.Role)
		}
		return apperr.New(apperr.Forbidden, "personal data (names and phone numbers) is not shown to the %s role", role)
	}
	return nil
}

// assertedValue is an asserted value as shown to the caller: a value of a personal
// field (a facilitator's name or phone) is null with the error of @personal for
// callers who may not see personal data.
func assertedValue(ctx context.Context, entity, field string, value *string) (*string, error) {
	if value != nil && ingest.IsPersonal(entity, field) {
		if err := personalDenied(ctx); err != nil {
			return nil, err
		}
	}
	return value, nil
}

// websocketInit authenticates a WebSocket from its first message (or keeps the
// caller its upgrade request carried a token for), gives it loaders of its scope,
// and ends it — with a message saying why — when its token expires or the server
// shuts down.
func websocketInit(cfg HandlerConfig, stores loader.Stores, wait time.Duration) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		conn := ctx // lives as long as the WebSocket
		p := auth.PrincipalFrom(ctx)
		if p == nil {
			token, ok := strings.CutPrefix(payload.Authorization(), "Bearer ")
			if !ok {
				token = payload.GetString("token")
			}
			if strings.TrimSpace(token) == "" {
				return ctx, nil, errors.New("send the token in connection_init: {\"Authorization\": \"Bearer <JWT>\"}")
			}
			var err error
			if p, err = cfg.Authenticate(ctx, strings.TrimSpace(token)); err != nil {
				return ctx, nil, err
			}
			ctx = auth.WithPrincipal(ctx, p)
		}
		ctx = loader.With(ctx, loader.New(stores, auth.ScopeFrom(ctx), wait))
		ctx, cancel := context.WithCancel(ctx)
		context.AfterFunc(conn, cancel)
		endWhen(ctx, cancel, p.ExpiresAt, cfg.Closing)
		return ctx, nil, nil
	}
}
