// Package meeting holds meetings, such as follow-up meetings on a measure, with their
// agenda and the action items they agree on.
package meeting

import (
	"fmt"
	"strings"
	"time"

	"github.com/prasan-hub/prasan/internal/apperr"
)

// Format is how a meeting was held.
type Format string

// The formats.
const (
	FormatInPerson        Format = "IN_PERSON"
	FormatVideoConference Format = "VIDEO_CONFERENCE"
	FormatHybrid          Format = "HYBRID"
)

// Meeting is a recorded meeting.
type Meeting struct {
	ID              int64
	Title           string
	HeldAt          time.Time
	ChairName       *string
	ChairPosition   *string
	ChairAgencyCode *string
	Format          Format
	Venue           *string
	ProgramCode     *string
	Summary         *string
}

// Record is a meeting to be recorded, with everything agreed at it.
type Record struct {
	Meeting
	AgencyCodes []string
	AgendaItems []AgendaItem
	ActionItems []ActionItem
}

// AgendaItem is one item of a meeting's agenda.
type AgendaItem struct {
	MeetingID int64
	Position  int
	Title     string
	Summary   *string
}

// Status is where an action item stands.
type Status string

// The statuses.
const (
	StatusOpen       Status = "OPEN"
	StatusInProgress Status = "IN_PROGRESS"
	StatusDone       Status = "DONE"
	StatusCancelled  Status = "CANCELLED"
)

// ActionItem is something a meeting asked an agency to do.
type ActionItem struct {
	ID              int64
	MeetingID       int64
	Position        int
	Title           string
	OwnerAgencyCode *string
	DueOn           *time.Time
	Status          Status
	UpdatedAt       time.Time
}

// IsOverdue reports whether the item is past due on the given day and not finished.
func (a *ActionItem) IsOverdue(today time.Time) bool {
	return a.DueOn != nil && a.DueOn.Before(today) && a.Status != StatusDone && a.Status != StatusCancelled
}

// Filter selects meetings. Nil fields do not filter.
type Filter struct {
	ProgramCode *string
	AgencyCode  *string
	From        *time.Time
	To          *time.Time
}

// ActionItemFilter selects action items. Nil fields do not filter.
type ActionItemFilter struct {
	Status          *Status
	OwnerAgencyCode *string
	ProgramCode     *string
	DueBefore       *time.Time
	Overdue         *bool
}

// Limits on what one recorded meeting may hold.
const (
	MaxTitleLength = 500
	MaxTextLength  = 10000
	MaxAgendaItems = 100
	MaxActionItems = 200
	MaxAgencies    = 200
)

// Validate checks a meeting to be recorded, naming the first bad field.
func (m *Record) Validate() error {
	if err := checkText("input.title", m.Title, MaxTitleLength, true); err != nil {
		return err
	}
	for _, f := range []struct {
		field string
		value *string
	}{{"input.chairName", m.ChairName}, {"input.chairPosition", m.ChairPosition}, {"input.venue", m.Venue}} {
		if f.value != nil {
			if err := checkText(f.field, *f.value, MaxTitleLength, false); err != nil {
				return err
			}
		}
	}
	if m.Summary != nil {
		if err := checkText("input.summary", *m.Summary, MaxTextLength, false); err != nil {
			return err
		}
	}
	if m.HeldAt.Year() < 1990 || m.HeldAt.After(time.Now().AddDate(5, 0, 0)) {
		return apperr.Invalid("input.heldAt", "meeting time %s is out of range", m.HeldAt.Format(time.RFC3339))
	}
	switch {
	case len(m.AgendaItems) > MaxAgendaItems:
		return apperr.Invalid("input.agendaItems", "at most %d agenda items", MaxAgendaItems)
	case len(m.ActionItems) > MaxActionItems:
		return apperr.Invalid("input.actionItems", "at most %d action items", MaxActionItems)
	case len(m.AgencyCodes) > MaxAgencies:
		return apperr.Invalid("input.agencyCodes", "at most %d agencies", MaxAgencies)
	}
	for i, a := range m.AgendaItems {
		if err := checkText(fieldAt("input.agendaItems", i, "title"), a.Title, MaxTitleLength, true); err != nil {
			return err
		}
		if a.Summary != nil {
			if err := checkText(fieldAt("input.agendaItems", i, "summary"), *a.Summary, MaxTextLength, false); err != nil {
				return err
			}
		}
	}
	for i, a := range m.ActionItems {
		if err := checkText(fieldAt("input.actionItems", i, "title"), a.Title, MaxTitleLength, true); err != nil {
			return err
		}
	}
	return nil
}

func fieldAt(list string, i int, field string) string {
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}

func checkText(field, v string, max int, required bool) error {
	switch {
	case required && strings.TrimSpace(v) == "":
		return apperr.Invalid(field, "must not be empty")
	case len([]rune(v)) > max:
		return apperr.Invalid(field, "is longer than %d characters", max)
	}
	return nil
}
