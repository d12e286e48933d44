package graph

import (
	"context"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// CodeNotRegistered is the error code of an operation refused in allow-list mode.
const CodeNotRegistered = "OPERATION_NOT_REGISTERED"

// persistedQueries is the cache of automatic persisted queries: the texts clients
// sent with their hash, in memory (per replica, bounded), and the operations an
// admin registered, from the database (so that any replica knows them).
type persistedQueries struct {
	memory     *lru.LRU[string]
	operations *postgres.OperationStore
}

func newPersistedQueries(ops *postgres.OperationStore) *persistedQueries {
	return &persistedQueries{memory: lru.New[string](10000), operations: ops}
}

// Get returns the text of a hash: one a client sent before, or a registered one.
func (c *persistedQueries) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := c.memory.Get(ctx, hash); ok {
		return q, true
	}
	q, err := c.operations.Lookup(ctx, hash)
	if err != nil || q == "" {
		return "", false
	}
	c.memory.Add(ctx, hash, q)
	return q, true
}

// Add keeps a text a client sent with its hash.
func (c *persistedQueries) Add(ctx context.Context, hash, query string) {
	c.memory.Add(ctx, hash, query)
}

// allowList refuses, for roles in allow-list mode, any operation an admin has not
// registered: by its text's hash, whether the client sent the text or only the
// hash. It runs after the persisted queries are resolved, and before anything is
// parsed or run.
type allowList struct {
	operations *postgres.OperationStore
	// registered caches the hashes known to be registered (registrations are
	// never withdrawn, so a hit stays true).
	registered *lru.LRU[string]
	trail      *postgres.AuditStore
	log        *slog.Logger
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = allowList{}

func (allowList) ExtensionName() string                   { return "AllowList" }
func (allowList) Validate(graphql.ExecutableSchema) error { return nil }

func (a allowList) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	p := auth.PrincipalFrom(ctx)
	if p == nil || !p.RegisteredOnly() {
		return nil
	}
	hash := postgres.OperationHash(raw.Query)
	if _, ok := a.registered.Get(ctx, hash); ok {
		return nil
	}
	if q, err := a.operations.Lookup(ctx, hash); err == nil && q != "" {
		a.registered.Add(ctx, hash, "")
		return nil
	}
	kind := string(ast.Query)
	if strings.HasPrefix(strings.TrimSpace(raw.Query), "mutation") {
		kind = string(ast.Mutation)
	}
	auditRefusal(ctx, a.trail, a.log, kind, raw.OperationName, raw.Query, CodeNotRegistered)
	return &gqlerror.Error{Message: "the " + string(p.Role) + " role runs only registered operations; this one (sha256 " + hash +
		") is not registered: ask an admin to register it (registerOperation)", Extensions: map[string]any{"code": CodeNotRegistered}}
}

// persistedQueryErrors gives the errors of automatic persisted queries that come
// without a code (a hash that does not match its text, a bad extension) the code
// PERSISTED_QUERY_INVALID, so that they are shown rather than masked.
type persistedQueryErrors struct {
	extension.AutomaticPersistedQuery
}

func (p persistedQueryErrors) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	err := p.AutomaticPersistedQuery.MutateOperationParameters(ctx, raw)
	if err != nil && err.Extensions["code"] == nil {
		if err.Extensions == nil {
			err.Extensions = map[string]any{}
		}
		err.Extensions["code"] = "PERSISTED_QUERY_INVALID"
	}
	return err
}
