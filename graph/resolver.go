// Package graph is the GraphQL layer: gqlgen's generated executor, thin resolvers
// that call the loaders and stores, the error presenter and the HTTP handler. It
// holds no SQL.
package graph

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/events"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/loader"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// Resolver holds what the resolvers depend on.
type Resolver struct {
	AreaStore    *postgres.AreaStore
	AgencyStore  *postgres.AgencyStore
	ProgramStore *postgres.ProgramStore
	PlanStore    *postgres.PlanStore
	BudgetStore  *postgres.BudgetStore
	MeetingStore *postgres.MeetingStore
	AccessStore  *postgres.AccessStore
	IngestStore  *postgres.IngestStore
	// OperationStore keeps the registered operations (persisted queries, allow-list).
	OperationStore *postgres.OperationStore
	// AuditStore is the audit trail.
	AuditStore *postgres.AuditStore
	// Events hands out the changes announced by the database (subscriptions).
	Events *events.Broker
	// Now is the clock; tests set it.
	Now func() time.Time
	// PolicyChanged is called after an admin changes the access policy.
	PolicyChanged func()
}

// NewResolver returns a Resolver on db with the real clock.
func NewResolver(db *postgres.DB) *Resolver {
	areas := postgres.NewAreaStore(db)
	return &Resolver{
		AreaStore:      areas,
		AgencyStore:    postgres.NewAgencyStore(db),
		ProgramStore:   postgres.NewProgramStore(db),
		PlanStore:      postgres.NewPlanStore(db),
		BudgetStore:    postgres.NewBudgetStore(db),
		MeetingStore:   postgres.NewMeetingStore(db),
		AccessStore:    postgres.NewAccessStore(db),
		IngestStore:    postgres.NewIngestStore(db, areas),
		OperationStore: postgres.NewOperationStore(db),
		AuditStore:     postgres.NewAuditStore(db),
		Now:            time.Now,
		PolicyChanged:  func() {},
	}
}

// today is the current date in Thailand.
func (r *Resolver) today() time.Time {
	t := r.Now().In(bangkok)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

var bangkok = time.FixedZone("ICT", 7*60*60)

// connection fetches one page with fetch and wraps it with its cursors and a lazy
// total count.
func connection[T any](first *int, after *string, fetch func(postgres.Page) ([]T, error), key func(T) string, count func(context.Context) (int, error)) (*model.Connection[T], error) {
	p, err := page(first, after)
	if err != nil {
		return nil, err
	}
	items, err := fetch(p)
	if err != nil {
		return nil, err
	}
	return model.NewConnection(items, p.First, p.After != "", func(it T) string { return encodeCursor(key(it)) }, count), nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// writeScope is what the caller may change of a resource; nothing without a caller.
func writeScope(ctx context.Context, r auth.Resource) auth.Scope {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p.WriteScope(r)
	}
	return auth.Areas()
}

// callerAgency is the agency code of the caller, or "".
func callerAgency(ctx context.Context) string {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p.Agency
	}
	return ""
}

// sender is who sends records in this request: the caller's agency and subject.
func sender(ctx context.Context) postgres.Sender {
	s := postgres.Sender{Channel: ingest.ChannelAPI}
	if p := auth.PrincipalFrom(ctx); p != nil {
		s.Agency, s.Subject = p.Agency, p.Subject
	}
	return s
}

// callerSubject is the subject of the caller, or "".
func callerSubject(ctx context.Context) string {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return p.Subject
	}
	return ""
}

// writer is what the caller may write of a kind of record.
func writer(ctx context.Context, k *ingest.Kind) postgres.Writer {
	return postgres.WriterOf(auth.PrincipalFrom(ctx), k)
}

// rawRecords turns records of a GraphQL input, their values already read by the
// schema's scalars, back into text for the records pipeline (see ingest.Kind),
// which reads the API's records and files' rows alike.
func rawRecords(records []map[string]any) []ingest.Raw {
	out := make([]ingest.Raw, len(records))
	for i, rec := range records {
		raw := make(ingest.Raw, len(rec))
		for k, v := range rec {
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer {
				if rv.IsNil() {
					continue
				}
				v = rv.Elem().Interface()
			}
			switch x := v.(type) {
			case nil:
				continue
			case time.Time:
				raw[k] = x.Format(time.DateOnly)
			case fmt.Stringer:
				raw[k] = x.String()
			default:
				raw[k] = fmt.Sprint(x)
			}
		}
		out[i] = raw
	}
	return out
}

// resourceOfKind is the resource whose writers resolve disagreements on a kind of
// record.
func resourceOfKind(kind string) auth.Resource {
	if k := ingest.KindNamed(kind); k != nil {
		return k.Resource
	}
	return auth.ResourceVillage
}

// itemLines are the budget lines of a plan item: as of the instant the item was
// read as of (one statement per item: reading the past is rare), else through the
// loader.
func (r *Resolver) itemLines(ctx context.Context, obj *plan.Item) ([]*budget.Line, error) {
	if obj.AsOf != nil {
		return load(ctx, obj, func(i *plan.Item) loader.AsOfKey { return loader.AsOf(i.ID, deref(i.AsOf)) }, loader.LinesOfAsOf)
	}
	return load(ctx, obj, itemID, loader.LinesOf)
}
