// Package program holds action plans, their measures and the programs under them,
// with the villages a program targets and how plans progress there.
package program

// ActionPlan is a government action plan for a fiscal year.
type ActionPlan struct {
	Code       string
	NameTh     string
	NameEn     *string
	FiscalYear int
}

// Measure is a numbered measure of an action plan.
type Measure struct {
	Code           string
	ActionPlanCode string
	Number         int
	NameTh         string
	NameEn         *string
	Committee      *string
}

// Program is a program under a measure.
type Program struct {
	Code           string
	MeasureCode    string
	NameTh         string
	NameEn         *string
	Description    *string
	FiscalYearFrom int
	FiscalYearTo   int
}

// Role is how an agency takes part in a program.
type Role string

// The roles, in the order they are listed.
const (
	RoleLead      Role = "LEAD"
	RolePartner   Role = "PARTNER"
	RoleSupporter Role = "SUPPORTER"
)

// Participant is an agency taking part in a program.
type Participant struct {
	ProgramCode string
	AgencyCode  string
	Role        Role
}

// Filter selects programs. Nil fields do not filter.
type Filter struct {
	MeasureCode *string
	FiscalYear  *int
	AreaCode    *string
	AgencyCode  *string
}

// Counts are plan counts over a set of villages.
type Counts struct {
	VillagesTargeted int
	PlansCompleted   int
	PlansInProgress  int
	PlansNotStarted  int
}

// CompletionRate is the percentage of villages whose plan is completed, rounded to
// two decimals; 0 when there are no villages.
func (c Counts) CompletionRate() float64 {
	if c.VillagesTargeted == 0 {
		return 0
	}
	return float64(c.PlansCompleted*10000/c.VillagesTargeted) / 100
}

// Progress is a program's plan progress for one fiscal year.
type Progress struct {
	// ProgramCode is the program whose target villages are counted; "" for every
	// village (inside Within, when set).
	ProgramCode string
	Within      *string
	FiscalYear  int
	Counts
	SubdistrictCount                int
	DistrictCount                   int
	ProvinceCount                   int
	PlansMeetingParticipationTarget int
	// Provinces is the progress per province when it was read with the totals
	// (nil when it was not).
	Provinces []*AreaProgress
}

// AreaProgress is plan progress within one province or district.
type AreaProgress struct {
	AreaCode string
	Counts
}
