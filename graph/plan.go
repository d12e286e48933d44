package graph

import (
	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/plan"
)

// planChange reads setVillagePlan's input: a field left out keeps its value, an
// explicit null clears it.
func planChange(in model.SetVillagePlanInput) (plan.Change, error) {
	code, err := area.ParseLevelCode(in.VillageCode, area.LevelVillage)
	if err != nil {
		return plan.Change{}, apperr.Invalid("input.villageCode", "%s", err)
	}
	c := plan.Change{Key: plan.Key{VillageCode: code, FiscalYear: in.FiscalYear}}
	if in.Status.IsSet() {
		if in.Status.Value() == nil {
			return c, apperr.Invalid("input.status", "status cannot be cleared")
		}
		c.Status = in.Status.Value()
	}
	c.ScheduledStart, c.ScheduledStartSet = in.ScheduledStart.ValueOK()
	c.ScheduledEnd, c.ScheduledEndSet = in.ScheduledEnd.ValueOK()
	c.CompletedOn, c.CompletedOnSet = in.CompletedOn.ValueOK()
	c.ParticipationRate, c.ParticipationRateSet = in.ParticipationRate.ValueOK()
	return c, nil
}
