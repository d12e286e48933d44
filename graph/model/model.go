// Package model holds the GraphQL-only types that have no place in the domain
// packages: the Node and Area interfaces and cursor connections.
package model

import (
	"context"

	"github.com/prasan-hub/prasan/internal/agency"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/meeting"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/program"
	"github.com/shopspring/decimal"
)

// Node is any object with a global id.
type Node any

// Area is any administrative area.
type Area = area.Area

// PageInfo describes a page of a connection.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// Edge is an item of a connection with its cursor.
type Edge[T any] struct {
	Cursor string
	Node   T
}

// Connection is one page of a list, with a lazily counted total.
type Connection[T any] struct {
	Edges    []*Edge[T]
	Nodes    []T
	PageInfo *PageInfo
	count    func(context.Context) (int, error)
}

// NewConnection builds a page from the items fetched (up to first+1, to tell whether
// a next page exists), their cursor function, whether a cursor was given, and a
// function that counts all matching items; the count runs only when asked for.
func NewConnection[T any](items []T, first int, after bool, cursor func(T) string, count func(context.Context) (int, error)) *Connection[T] {
	c := &Connection[T]{PageInfo: &PageInfo{HasPreviousPage: after}, count: count}
	if len(items) > first {
		items = items[:first]
		c.PageInfo.HasNextPage = true
	}
	c.Nodes = items
	c.Edges = make([]*Edge[T], len(items))
	for i, it := range items {
		c.Edges[i] = &Edge[T]{Cursor: cursor(it), Node: it}
	}
	if len(items) > 0 {
		start, end := c.Edges[0].Cursor, c.Edges[len(items)-1].Cursor
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &start, &end
	}
	return c
}

// TotalCount counts all items matching the connection's filter, over all pages.
func (c *Connection[T]) TotalCount(ctx context.Context) (int, error) {
	return c.count(ctx)
}

// The connections of the schema.
type (
	VillageConnection      = Connection[*area.Village]
	VillageEdge            = Edge[*area.Village]
	AgencyConnection       = Connection[*agency.Agency]
	AgencyEdge             = Edge[*agency.Agency]
	ActionPlanConnection   = Connection[*program.ActionPlan]
	ActionPlanEdge         = Edge[*program.ActionPlan]
	ProgramConnection      = Connection[*program.Program]
	ProgramEdge            = Edge[*program.Program]
	VillagePlanConnection  = Connection[*plan.Plan]
	VillagePlanEdge        = Edge[*plan.Plan]
	BudgetLineEdge         = Edge[*budget.Line]
	MeetingConnection      = Connection[*meeting.Meeting]
	MeetingEdge            = Edge[*meeting.Meeting]
	ActionItemConnection   = Connection[*meeting.ActionItem]
	ActionItemEdge         = Edge[*meeting.ActionItem]
	AccessChangeConnection = Connection[*postgres.AccessChange]
	AccessChangeEdge       = Edge[*postgres.AccessChange]
	ConflictConnection     = Connection[*postgres.Conflict]
	ConflictEdge           = Edge[*postgres.Conflict]
	AuditEntryConnection   = Connection[*postgres.AuditEntry]
	AuditEntryEdge         = Edge[*postgres.AuditEntry]
)

// AccessPolicy is the root of the admin's view of the access policy; its fields
// are resolved from the store.
type AccessPolicy struct{}

// BudgetLineConnection is a page of budget lines with the sum over all pages.
type BudgetLineConnection struct {
	*Connection[*budget.Line]
	amount func(context.Context) (decimal.Decimal, error)
}

// NewBudgetLineConnection wraps a page of budget lines with a lazily computed sum.
func NewBudgetLineConnection(c *Connection[*budget.Line], amount func(context.Context) (decimal.Decimal, error)) *BudgetLineConnection {
	return &BudgetLineConnection{Connection: c, amount: amount}
}

// TotalAmount sums the amounts of all matching lines, over all pages.
func (c *BudgetLineConnection) TotalAmount(ctx context.Context) (decimal.Decimal, error) {
	return c.amount(ctx)
}

// PlanProgress is plan progress over a set of villages.
type PlanProgress interface {
	CompletionRate() float64
}
