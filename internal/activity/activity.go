// Package activity holds drug-prevention activities: what an agency did in a
// village, on a day, with how many people.
package activity

import "time"

// Type is the kind of activity.
type Type string

// The types.
const (
	TypeAwareness         Type = "AWARENESS"
	TypeScreening         Type = "SCREENING"
	TypeTreatmentReferral Type = "TREATMENT_REFERRAL"
	TypeYouth             Type = "YOUTH"
	TypeCommunityWatch    Type = "COMMUNITY_WATCH"
	TypeOther             Type = "OTHER"
)

// Activity is a drug-prevention activity an agency held in a village and sent as a
// record; its key is the agency's code and its sourceId.
type Activity struct {
	ID           int64
	IngestKey    string
	AgencyCode   string
	VillageCode  string
	HeldOn       time.Time
	ActivityType Type
	Title        string
	Participants *int
	ProgramCode  *string
}
