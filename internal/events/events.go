// Package events hands the database's announcements of changes (LISTEN/NOTIFY) to
// the subscribers of this replica: one connection listens, each subscriber gets
// the events its filter accepts.
package events

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// PlanStatusChannel is the channel plan status changes are announced on.
const PlanStatusChannel = "prasan_plan_status"

// PlanStatusChange is a village plan's change of status.
type PlanStatusChange struct {
	VillageCode    string       `json:"village"`
	FiscalYear     int          `json:"fiscalYear"`
	Status         plan.Status  `json:"status"`
	PreviousStatus *plan.Status `json:"previous"`
	At             time.Time    `json:"at"`
}

// Broker listens for plan status changes and fans them out.
type Broker struct {
	db  *postgres.DB
	log *slog.Logger

	mu    sync.Mutex
	subs  map[*subscriber]struct{}
	ready chan struct{}
	once  sync.Once
}

type subscriber struct {
	ctx    context.Context
	ch     chan *PlanStatusChange
	accept func(context.Context, *PlanStatusChange) bool
}

// NewBroker returns a broker on db; Run makes it listen.
func NewBroker(db *postgres.DB, log *slog.Logger) *Broker {
	return &Broker{db: db, log: log, subs: map[*subscriber]struct{}{}, ready: make(chan struct{})}
}

// Run listens until ctx ends, reconnecting (after a pause that grows to 10 s)
// whenever the connection is lost.
func (b *Broker) Run(ctx context.Context) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := b.db.Listen(ctx, PlanStatusChannel, func() {
			pause = 100 * time.Millisecond
			b.once.Do(func() { close(b.ready) })
		}, b.deliver)
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("event listener lost its connection; reconnecting", "err", err, "in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

// Ready is closed once the broker first listens.
func (b *Broker) Ready() <-chan struct{} { return b.ready }

func (b *Broker) deliver(payload string) {
	var ev PlanStatusChange
	if err := json.Unmarshal([]byte(payload), &ev); err != nil {
		b.log.Error("bad plan status event", "payload", payload, "err", err)
		return
	}
	b.mu.Lock()
	subs := make([]*subscriber, 0, len(b.subs))
	for s := range b.subs {
		subs = append(subs, s)
	}
	b.mu.Unlock()
	for _, s := range subs {
		if s.ctx.Err() != nil || !s.accept(s.ctx, &ev) {
			continue
		}
		e := ev
		select {
		case s.ch <- &e:
		default:
			b.log.Warn("subscriber too slow: event dropped", "village", ev.VillageCode)
		}
	}
}

// Subscribe returns the events accept lets through, until ctx ends. accept runs
// for every event, with the subscriber's context (its caller and scope).
func (b *Broker) Subscribe(ctx context.Context, accept func(context.Context, *PlanStatusChange) bool) <-chan *PlanStatusChange {
	s := &subscriber{ctx: ctx, ch: make(chan *PlanStatusChange, 64), accept: accept}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	go func() {
		<-ctx.Done()
		b.mu.Lock()
		delete(b.subs, s)
		b.mu.Unlock()
	}()
	return s.ch
}

// Open counts the subscriptions open.
func (b *Broker) Open() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}
