// Package agency holds the agencies that hold and send data: ONCB, MOI, Pid Thong,
// provincial and district offices, function agencies and foundations.
package agency

// Kind is what kind of body an agency is.
type Kind string

// The kinds of agency.
const (
	KindONCBCentral      Kind = "ONCB_CENTRAL"
	KindONCBRegional     Kind = "ONCB_REGIONAL"
	KindMOI              Kind = "MOI"
	KindPidThong         Kind = "PID_THONG"
	KindProvincialOffice Kind = "PROVINCIAL_OFFICE"
	KindDistrictOffice   Kind = "DISTRICT_OFFICE"
	KindFunctionAgency   Kind = "FUNCTION_AGENCY"
	KindFoundation       Kind = "FOUNDATION"
)

// Agency is a government body or partner organisation.
type Agency struct {
	Code       string
	NameTh     string
	NameEn     *string
	Kind       Kind
	ParentCode *string
	// AreaCodes are the areas the agency covers; empty for national agencies.
	AreaCodes []string
}
