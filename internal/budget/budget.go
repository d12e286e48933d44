// Package budget holds budget lines: money for a fiscal year from one source, owned by
// one agency, funding a plan item or a program, and totals over them.
package budget

import (
	"time"

	"github.com/shopspring/decimal"
)

// Source is where the money of a budget line comes from.
type Source string

// The sources.
const (
	SourceAgencyCore         Source = "AGENCY_CORE"
	SourceIntegratedFunction Source = "INTEGRATED_FUNCTION"
	SourceProvincial         Source = "PROVINCIAL"
	SourceLocalGovernment    Source = "LOCAL_GOVERNMENT"
	SourceOther              Source = "OTHER"
)

// Status is how far a budget line has gone.
type Status string

// The statuses.
const (
	StatusRequested Status = "REQUESTED"
	StatusApproved  Status = "APPROVED"
	StatusDisbursed Status = "DISBURSED"
)

// Line is a budget line.
type Line struct {
	ID          int64
	FiscalYear  int
	Amount      decimal.Decimal
	Source      Source
	Status      Status
	AgencyCode  string
	PlanItemID  *int64
	ProgramCode *string
	// AreaCode is where the money lands: the plan item's village, or the area a
	// program line names.
	AreaCode    *string
	Description *string
	IsDemo      bool
	// IngestKey is the key of a line sent as records (see ingest.BudgetLine).
	IngestKey *string
}

// Filter selects budget lines. Nil fields do not filter.
type Filter struct {
	FiscalYear  *int
	AreaCode    *string
	AgencyCode  *string
	ProgramCode *string
	Source      *Source
	Status      *Status
	// AsOf reads the lines as they were at that instant.
	AsOf *time.Time
}

// Dimension is something totals can be grouped by.
type Dimension string

// The dimensions.
const (
	BySource   Dimension = "SOURCE"
	ByStatus   Dimension = "STATUS"
	ByAgency   Dimension = "AGENCY"
	ByProvince Dimension = "PROVINCE"
	ByDistrict Dimension = "DISTRICT"
)

// Summary is budget totals for a fiscal year.
type Summary struct {
	FiscalYear int
	GroupBy    []Dimension
	Total      decimal.Decimal
	LineCount  int
	Rows       []*SummaryRow
}

// SummaryRow is the total of one combination of dimensions; fields of dimensions not
// grouped by are nil.
type SummaryRow struct {
	Source       *Source
	Status       *Status
	AgencyCode   *string
	ProvinceCode *string
	DistrictCode *string
	Amount       decimal.Decimal
	LineCount    int
}
