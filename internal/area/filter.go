package area

import "github.com/prasan-hub/prasan/internal/plan"

// VillageFilter selects villages. Nil fields do not filter.
type VillageFilter struct {
	// AreaCode keeps villages inside this area (any level).
	AreaCode *string
	// ProgramCode keeps villages the program targets.
	ProgramCode *string
	// FiscalYear and PlanStatus keep villages whose plan for the year has the status;
	// NOT_STARTED also matches villages with no plan that year.
	FiscalYear *int
	PlanStatus *plan.Status
	IsDemo     *bool
}
