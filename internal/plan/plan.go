// Package plan holds quality village plans (แผนหมู่บ้านเชิงคุณภาพ): one per village per
// fiscal year, with their facilitators and items.
package plan

import (
	"time"

	"github.com/prasan-hub/prasan/internal/apperr"
)

// Status is where a village plan stands.
type Status string

// The statuses.
const (
	StatusNotStarted Status = "NOT_STARTED"
	StatusInProgress Status = "IN_PROGRESS"
	StatusCompleted  Status = "COMPLETED"
)

// ParticipationTarget is the share of villagers, in percent, that should take part
// in drawing up a plan.
const ParticipationTarget = 75.0

// Plan is a village's plan for one fiscal year.
type Plan struct {
	ID                int64
	VillageCode       string
	FiscalYear        int
	Status            Status
	ScheduledStart    *time.Time
	ScheduledEnd      *time.Time
	CompletedOn       *time.Time
	ParticipationRate *float64
	IsDemo            bool
	UpdatedAt         time.Time
	// AsOf is the instant the plan was read as of; nil for the plan as it is.
	AsOf *time.Time `db:"-"`
}

// MeetsParticipationTarget reports whether participation reached the target; nil
// when the rate is unknown.
func (p *Plan) MeetsParticipationTarget() *bool {
	if p.ParticipationRate == nil {
		return nil
	}
	ok := *p.ParticipationRate >= ParticipationTarget
	return &ok
}

// FacilitatorRole is a kind of plan facilitator.
type FacilitatorRole string

// The facilitator roles.
const (
	RoleDeputyDistrictOfficer FacilitatorRole = "DEPUTY_DISTRICT_OFFICER"
	RoleAD1                   FacilitatorRole = "AD1"
	RoleAD2                   FacilitatorRole = "AD2"
	RoleAD3                   FacilitatorRole = "AD3"
)

// Facilitator is a person who facilitates a plan.
type Facilitator struct {
	PlanID     int64
	Role       FacilitatorRole
	Name       string
	Phone      *string
	AgencyCode *string
	IsDemo     bool
	// IngestKey is the key of an assignment sent as records (village:year:role).
	IngestKey *string
}

// Category is what a plan item is about.
type Category string

// The categories.
const (
	CategoryPrevention     Category = "PREVENTION"
	CategoryLivelihood     Category = "LIVELIHOOD"
	CategoryInfrastructure Category = "INFRASTRUCTURE"
	CategoryEducation      Category = "EDUCATION"
	CategoryHealth         Category = "HEALTH"
	CategoryEnvironment    Category = "ENVIRONMENT"
	CategorySocial         Category = "SOCIAL"
	CategoryOther          Category = "OTHER"
)

// Item is one item of a plan.
type Item struct {
	ID                    int64
	PlanID                int64
	Position              int
	Title                 string
	Category              Category
	ResponsibleAgencyCode *string
	IsDemo                bool
	// RecordKey is the item's key as records name it: village:fiscalYear:position.
	RecordKey string
	// AsOf is the instant the item was read as of; nil for the item as it is.
	AsOf *time.Time `db:"-"`
}

// Filter selects plans. Nil fields do not filter.
type Filter struct {
	AreaCode    *string
	ProgramCode *string
	FiscalYear  *int
	Status      *Status
	// AsOf reads the plans as they were at that instant.
	AsOf *time.Time
}

// Key identifies a plan by its natural key.
type Key struct {
	VillageCode string
	FiscalYear  int
}

// Change sets fields of a village's plan for a fiscal year. A nil pointer leaves the
// field as it is; a Set flag with a nil value clears it.
type Change struct {
	Key
	Status               *Status
	ScheduledStart       *time.Time
	ScheduledStartSet    bool
	ScheduledEnd         *time.Time
	ScheduledEndSet      bool
	CompletedOn          *time.Time
	CompletedOnSet       bool
	ParticipationRate    *float64
	ParticipationRateSet bool
}

// Validate checks the change on its own, before it is applied to the stored plan.
func (c *Change) Validate(today time.Time) error {
	if r := c.ParticipationRate; r != nil {
		if *r < 0 || *r > 100 {
			return apperr.Invalid("input.participationRate", "participation rate must be between 0 and 100, got %v", *r)
		}
		if *r*100 != float64(int64(*r*100)) {
			return apperr.Invalid("input.participationRate", "participation rate has at most two decimals, got %v", *r)
		}
	}
	if d := c.CompletedOn; d != nil && d.After(today) {
		return apperr.Invalid("input.completedOn", "completion date %s is in the future", d.Format(time.DateOnly))
	}
	return nil
}

// Apply returns p with the change applied, and checks the result as a whole.
func (c *Change) Apply(p Plan) (Plan, error) {
	if c.Status != nil {
		p.Status = *c.Status
	}
	if c.ScheduledStartSet {
		p.ScheduledStart = c.ScheduledStart
	}
	if c.ScheduledEndSet {
		p.ScheduledEnd = c.ScheduledEnd
	}
	if c.CompletedOnSet {
		p.CompletedOn = c.CompletedOn
	}
	if c.ParticipationRateSet {
		p.ParticipationRate = c.ParticipationRate
	}
	if p.Status == "" {
		return p, apperr.Invalid("input.status", "status is required when the village has no plan for fiscal year %d yet", c.FiscalYear)
	}
	if p.Status != StatusCompleted && p.CompletedOn != nil {
		if c.CompletedOnSet {
			return p, apperr.Invalid("input.completedOn", "a completion date is only allowed with status COMPLETED")
		}
		p.CompletedOn = nil // the plan was reopened
	}
	if p.ScheduledStart != nil && p.ScheduledEnd != nil && p.ScheduledEnd.Before(*p.ScheduledStart) {
		field := "input.scheduledEnd"
		if c.ScheduledStartSet && !c.ScheduledEndSet {
			field = "input.scheduledStart"
		}
		return p, apperr.Invalid(field, "scheduled end %s is before scheduled start %s",
			p.ScheduledEnd.Format(time.DateOnly), p.ScheduledStart.Format(time.DateOnly))
	}
	return p, nil
}
