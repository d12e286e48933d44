package graph

import (
	"fmt"

	"github.com/prasan-hub/prasan/internal/activity"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/ingest"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// The objects' names among the records agencies send (see ingest.Kinds), for
// their provenance and history. Objects not fed by records have keys no
// assertion has, and so none.

func planRef(p *plan.Plan) postgres.ObjectRef {
	return postgres.ObjectRef{Entity: ingest.VillagePlan.Name, Key: fmt.Sprintf("%s:%d", p.VillageCode, p.FiscalYear)}
}

func itemRef(i *plan.Item) postgres.ObjectRef {
	return postgres.ObjectRef{Entity: ingest.PlanItem.Name, Key: i.RecordKey}
}

func lineRef(l *budget.Line) postgres.ObjectRef {
	return postgres.ObjectRef{Entity: ingest.BudgetLine.Name, Key: deref(l.IngestKey)}
}

func facilitatorRef(f *plan.Facilitator) postgres.ObjectRef {
	return postgres.ObjectRef{Entity: ingest.Facilitator.Name, Key: deref(f.IngestKey)}
}

func activityRef(a *activity.Activity) postgres.ObjectRef {
	return postgres.ObjectRef{Entity: ingest.PreventionActivity.Name, Key: a.IngestKey}
}
