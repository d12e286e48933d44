package graph

import (
	"context"
	"strconv"

	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/loader"
)

// The type names inside global ids.
const (
	typeProvince    = "Province"
	typeDistrict    = "District"
	typeSubdistrict = "Subdistrict"
	typeVillage     = "Village"
	typeAgency      = "Agency"
	typeActionPlan  = "ActionPlan"
	typeMeasure     = "Measure"
	typeProgram     = "Program"
	typeVillagePlan = "VillagePlan"
	typePlanItem    = "PlanItem"
	typeBudgetLine  = "BudgetLine"
	typeMeeting     = "Meeting"
	typeActionItem  = "ActionItem"
	typeAccessGrant = "AccessGrant"
	typeImportBatch = "ImportBatch"
)

// MaxNodes is how many ids one nodes query may ask for.
const MaxNodes = 100

// node loads the object a global id names, through the loaders and so within the
// caller's scope. Unknown or out-of-scope objects are nil; a malformed id is an
// error about field.
func node(ctx context.Context, field, id string) (model.Node, error) {
	typ, key, err := parseGlobalID(field, id)
	if err != nil {
		return nil, err
	}
	// Natural keys that are codes.
	switch typ {
	case typeProvince, typeDistrict, typeSubdistrict, typeVillage:
		if code, err := area.ParseCode(key); err != nil || string(area.LevelOf(code)) != levelOfType[typ] {
			return nil, nil
		}
		a, err := loader.Area(ctx, key, key)
		if err != nil || a == nil {
			return nil, err
		}
		return a, nil
	case typeAgency:
		return orNil(loader.Agency(ctx, key, key))
	case typeActionPlan:
		return orNil(loader.ActionPlan(ctx, key, key))
	case typeMeasure:
		return orNil(loader.Measure(ctx, key, key))
	case typeProgram:
		return orNil(loader.Program(ctx, key, key))
	}
	// Surrogate keys that are numbers.
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, nil
	}
	switch typ {
	case typeVillagePlan:
		return orNil(loader.Plan(ctx, n, n))
	case typePlanItem:
		return orNil(loader.Item(ctx, n, n))
	case typeBudgetLine:
		return orNil(loader.Line(ctx, n, n))
	case typeMeeting:
		return orNil(loader.Meeting(ctx, n, n))
	case typeActionItem:
		return orNil(loader.ActionItem(ctx, n, n))
	}
	return nil, nil
}

var levelOfType = map[string]string{
	typeProvince: string(area.LevelProvince), typeDistrict: string(area.LevelDistrict),
	typeSubdistrict: string(area.LevelSubdistrict), typeVillage: string(area.LevelVillage),
}

// orNil returns a loaded object as a Node, with a typed nil pointer as a nil Node.
func orNil[T any](v *T, err error) (model.Node, error) {
	if err != nil || v == nil {
		return nil, err
	}
	return v, nil
}
