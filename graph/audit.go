package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/metrics"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/request"
	"github.com/prasan-hub/prasan/internal/tracing"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel/attribute"
)

// AuditedReaders are the roles whose queries are recorded in the audit trail, as
// well as everyone's mutations and imports.
var AuditedReaders = []auth.Role{auth.RolePartner, auth.RolePidThong}

// personalKeys are the variables that carry personal data, kept out of the trail.
var personalKeys = []string{"name", "phone", "chairName"}

// CodeAuditUnavailable refuses a change whose audit entry cannot be written.
const CodeAuditUnavailable = "AUDIT_UNAVAILABLE"

// auditOperations records operations in the audit trail: a change (mutation,
// subscription) gets an entry before it runs — committed, so that a crash
// mid-request leaves its trace — and one with its outcome after; a query of an
// audited reader gets the latter. A change whose first entry cannot be written
// does not run.
func auditOperations(trail *postgres.AuditStore, log *slog.Logger) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation == nil {
			return next(ctx)
		}
		p := auth.PrincipalFrom(ctx)
		kind := string(oc.Operation.Operation)
		if !audited(kind, p) {
			return next(ctx)
		}
		entry := auditEntry(ctx, p, kind, oc)
		if kind != string(ast.Query) {
			begin := *entry
			begin.Phase = "begin"
			if err := trail.Append(ctx, &begin); err != nil {
				log.ErrorContext(ctx, "audit entry not written: change refused", "err", err)
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: "the audit trail cannot be written now, so nothing is changed: try again",
					Extensions: map[string]any{"code": CodeAuditUnavailable}}}})
			}
		}
		handler := next(ctx)
		done := false
		return func(ctx context.Context) *graphql.Response {
			resp := handler(ctx)
			if done || kind == string(ast.Subscription) {
				return resp
			}
			done = true
			end := *entry
			end.Phase = "end"
			outcome, codes := outcomeOf(resp)
			end.Outcome, end.ErrorCodes = &outcome, codes
			ms := float64(time.Since(oc.Stats.OperationStart).Microseconds()) / 1000
			end.DurationMS = &ms
			if err := trail.Append(ctx, &end); err != nil {
				log.ErrorContext(ctx, "audit entry not written", "err", err, "phase", "end")
			}
			return resp
		}
	}
}

// auditEntry is what every entry of an operation says.
func auditEntry(ctx context.Context, p *auth.Principal, kind string, oc *graphql.OperationContext) *postgres.AuditEntry {
	e := newAuditEntry(ctx, p, kind, operationName(oc.Operation), oc.RawQuery)
	if len(oc.Variables) > 0 {
		e.Variables, _ = json.Marshal(Redact(oc.Variables))
	}
	return e
}

// newAuditEntry is an entry for an operation of the caller p, with what the
// request says of itself.
func newAuditEntry(ctx context.Context, p *auth.Principal, kind, name, rawQuery string) *postgres.AuditEntry {
	info := request.From(ctx)
	e := &postgres.AuditEntry{Kind: kind, RequestID: nonEmpty(info.ID), ClientAddr: nonEmpty(info.ClientAddr),
		OperationName: nonEmpty(name), QueryHash: nonEmpty(postgres.OperationHash(rawQuery))}
	if p != nil {
		role := string(p.Role)
		e.Subject, e.AgencyCode, e.Role = nonEmpty(p.Subject), nonEmpty(p.Agency), &role
	}
	return e
}

// audited tells whether an operation of kind by p goes in the trail: a change, or
// any operation of an audited reader.
func audited(kind string, p *auth.Principal) bool {
	return kind != string(ast.Query) || (p != nil && slices.Contains(AuditedReaders, p.Role))
}

// rootField is the name of an operation's first root field ("" when none).
func rootField(op *ast.OperationDefinition) string {
	if len(op.SelectionSet) > 0 {
		if f, ok := op.SelectionSet[0].(*ast.Field); ok {
			return f.Name
		}
	}
	return ""
}

// operationName is an operation's name, or for an anonymous one its first root
// field's.
func operationName(op *ast.OperationDefinition) string {
	if op.Name != "" {
		return op.Name
	}
	return rootField(op)
}

// Redact returns a copy of variables with the values of personal data replaced.
func Redact(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if slices.Contains(personalKeys, k) && val != nil {
				out[k] = "[redacted]"
				continue
			}
			out[k] = Redact(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = Redact(val)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = Redact(val)
		}
		return out
	}
	return v
}

// outcomeOf says how an operation ended: ok, refused (FORBIDDEN or
// UNAUTHENTICATED) or error, with the error codes.
func outcomeOf(resp *graphql.Response) (string, []string) {
	if resp == nil || len(resp.Errors) == 0 {
		return "ok", nil
	}
	outcome := "error"
	var codes []string
	for _, e := range resp.Errors {
		c, _ := e.Extensions["code"].(string)
		if c == "FORBIDDEN" || c == "UNAUTHENTICATED" {
			outcome = "refused"
		}
		if c != "" && !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	return outcome, codes
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// countOperations counts each operation by type, root field and outcome, with its
// time. The root field (not the client's operation name) keeps the labels few.
func countOperations(m *metrics.Metrics) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if m == nil || oc.Operation == nil {
			return next(ctx)
		}
		typ, root := string(oc.Operation.Operation), rootField(oc.Operation)
		ctx, span := tracing.Tracer().Start(ctx, "graphql "+typ+" "+root)
		handler := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := handler(ctx)
			if typ != string(ast.Subscription) {
				outcome, _ := outcomeOf(resp)
				m.Operation(typ, root, outcome, time.Since(oc.Stats.OperationStart))
				span.SetAttributes(attribute.String("graphql.outcome", outcome))
				span.End()
			}
			return resp
		}
	}
}

// auditRefusal records an operation refused before it ran (over a limit, not
// registered), when it would have been recorded had it run: a change, or any
// operation of an audited reader.
func auditRefusal(ctx context.Context, trail *postgres.AuditStore, log *slog.Logger, kind, name, rawQuery, code string) {
	if trail == nil {
		return
	}
	p := auth.PrincipalFrom(ctx)
	if !audited(kind, p) {
		return
	}
	outcome := "refused"
	e := newAuditEntry(ctx, p, kind, name, rawQuery)
	e.Phase, e.Outcome, e.ErrorCodes = "end", &outcome, []string{code}
	if err := trail.Append(ctx, e); err != nil {
		log.ErrorContext(ctx, "audit entry not written", "err", err, "phase", "refused")
	}
}

// auditedLimits records the operations the limits refuse.
type auditedLimits struct {
	Limits
	trail *postgres.AuditStore
	log   *slog.Logger
}

func (a auditedLimits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	err := a.Limits.MutateOperationContext(ctx, oc)
	if err != nil {
		code, _ := err.Extensions["code"].(string)
		auditRefusal(ctx, a.trail, a.log, string(oc.Operation.Operation), operationName(oc.Operation), oc.RawQuery, code)
	}
	return err
}
