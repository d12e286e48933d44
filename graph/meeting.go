package graph

import (
	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/meeting"
)

// meetingRecord reads recordMeeting's input.
func meetingRecord(in model.RecordMeetingInput) meeting.Record {
	r := meeting.Record{
		Meeting: meeting.Meeting{
			Title:           in.Title,
			HeldAt:          in.HeldAt,
			ChairName:       in.ChairName.Value(),
			ChairPosition:   in.ChairPosition.Value(),
			ChairAgencyCode: in.ChairAgencyCode.Value(),
			Format:          in.Format,
			Venue:           in.Venue.Value(),
			ProgramCode:     in.ProgramCode.Value(),
			Summary:         in.Summary.Value(),
		},
		AgencyCodes: in.AgencyCodes,
	}
	for _, a := range in.AgendaItems {
		r.AgendaItems = append(r.AgendaItems, meeting.AgendaItem{Title: a.Title, Summary: a.Summary.Value()})
	}
	for _, a := range in.ActionItems {
		item := meeting.ActionItem{Title: a.Title, OwnerAgencyCode: a.OwnerAgencyCode.Value(), DueOn: a.DueOn.Value(), Status: meeting.StatusOpen}
		if s := a.Status.Value(); s != nil {
			item.Status = *s
		}
		r.ActionItems = append(r.ActionItems, item)
	}
	return r
}
