// Package loader batches the lookups of one request: every field that needs a row by
// key asks its loader, and the loader fetches all keys asked for at about the same
// time in one statement. Loaders are built per request after authentication, with
// the caller's scope, so their caches never cross requests or scopes.
package loader

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prasan-hub/prasan/internal/activity"
	"github.com/prasan-hub/prasan/internal/agency"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/meeting"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/program"
	"github.com/shopspring/decimal"
	"github.com/vikstrous/dataloadgen"
)

// DefaultWait is how long a loader waits for more keys before it fetches. gqlgen
// resolves the fields of a list concurrently, so the keys of one level arrive within
// microseconds; a short wait keeps nested levels from adding up.
const DefaultWait = 500 * time.Microsecond

// Stores are the stores the loaders read from.
type Stores struct {
	Areas    *postgres.AreaStore
	Agencies *postgres.AgencyStore
	Programs *postgres.ProgramStore
	Plans    *postgres.PlanStore
	Budgets  *postgres.BudgetStore
	Meetings *postgres.MeetingStore
	Ingest   *postgres.IngestStore
}

// Loaders are one request's loaders. Each is built when the request first asks
// it (a request uses a handful of the thirty-odd), from its source.
type Loaders struct {
	request request
	// the reference geography is in memory (postgres.AreaStore): read, not batched
	geography  *postgres.AreaStore
	keptAgency func(code string) (*agency.Agency, bool)
	planTrees  func(context.Context, auth.Scope, []plan.Key, postgres.PlanTree) (*postgres.PlanForest, error)
	// villages read with their plans of a year
	villagesWithPlanTrees func(context.Context, auth.Scope, []string, int, postgres.PlanTree) (map[string]*area.Village, *postgres.PlanForest, error)
	villages              batched[string, *area.Village]
	villagesBySubdistrict batched[string, []*area.Village]
	agencies              batched[string, *agency.Agency]
	actionPlans           batched[string, *program.ActionPlan]
	measures              batched[string, *program.Measure]
	measuresByActionPlan  batched[string, []*program.Measure]
	programs              batched[string, *program.Program]
	programsByMeasure     batched[string, []*program.Program]
	programsByVillage     batched[string, []*program.Program]
	participants          batched[string, []*program.Participant]
	plans                 batched[int64, *plan.Plan]
	plansByKey            batched[plan.Key, *plan.Plan]
	plansByVillage        batched[string, []*plan.Plan]
	items                 batched[int64, *plan.Item]
	itemsByPlan           batched[int64, []*plan.Item]
	facilitatorsByPlan    batched[int64, []*plan.Facilitator]
	// the same as of an instant (plans read with asOf)
	itemsByPlanAsOf        batched[AsOfKey, []*plan.Item]
	facilitatorsByPlanAsOf batched[AsOfKey, []*plan.Facilitator]
	linesByItemAsOf        batched[AsOfKey, []*budget.Line]
	totalsByPlanAsOf       batched[AsOfKey, decimal.Decimal]
	lines                  batched[int64, *budget.Line]
	linesByItem            batched[int64, []*budget.Line]
	totalsByPlan           batched[int64, decimal.Decimal]
	meetings               batched[int64, *meeting.Meeting]
	agendaByMeeting        batched[int64, []*meeting.AgendaItem]
	agenciesByMeeting      batched[int64, []string]
	actionItems            batched[int64, *meeting.ActionItem]
	actionItemsByMeeting   batched[int64, []*meeting.ActionItem]
	provenance             batched[postgres.ObjectRef, []*postgres.Assertion]
	activitiesByVillage    batched[string, []*activity.Activity]
	history                batched[postgres.ObjectRef, []*postgres.AssertionChange]
}

// sources are the fetch functions of every loader, taking the scope of the
// request they serve: built once per handler, shared by its requests.
type sources struct {
	geography  *postgres.AreaStore
	keptAgency func(code string) (*agency.Agency, bool)
	planTrees  func(context.Context, auth.Scope, []plan.Key, postgres.PlanTree) (*postgres.PlanForest, error)
	// villages read with their plans of a year
	villagesWithPlanTrees  func(context.Context, auth.Scope, []string, int, postgres.PlanTree) (map[string]*area.Village, *postgres.PlanForest, error)
	villages               source[string, *area.Village]
	villagesBySubdistrict  source[string, []*area.Village]
	agencies               source[string, *agency.Agency]
	actionPlans            source[string, *program.ActionPlan]
	measures               source[string, *program.Measure]
	measuresByActionPlan   source[string, []*program.Measure]
	programs               source[string, *program.Program]
	programsByMeasure      source[string, []*program.Program]
	programsByVillage      source[string, []*program.Program]
	participants           source[string, []*program.Participant]
	plans                  source[int64, *plan.Plan]
	plansByKey             source[plan.Key, *plan.Plan]
	plansByVillage         source[string, []*plan.Plan]
	items                  source[int64, *plan.Item]
	itemsByPlan            source[int64, []*plan.Item]
	facilitatorsByPlan     source[int64, []*plan.Facilitator]
	itemsByPlanAsOf        source[AsOfKey, []*plan.Item]
	facilitatorsByPlanAsOf source[AsOfKey, []*plan.Facilitator]
	linesByItemAsOf        source[AsOfKey, []*budget.Line]
	totalsByPlanAsOf       source[AsOfKey, decimal.Decimal]
	lines                  source[int64, *budget.Line]
	linesByItem            source[int64, []*budget.Line]
	totalsByPlan           source[int64, decimal.Decimal]
	meetings               source[int64, *meeting.Meeting]
	agendaByMeeting        source[int64, []*meeting.AgendaItem]
	agenciesByMeeting      source[int64, []string]
	actionItems            source[int64, *meeting.ActionItem]
	actionItemsByMeeting   source[int64, []*meeting.ActionItem]
	provenance             source[postgres.ObjectRef, []*postgres.Assertion]
	activitiesByVillage    source[string, []*activity.Activity]
	history                source[postgres.ObjectRef, []*postgres.AssertionChange]
}

// unscoped adapts a store method that reads the same for every caller.
func unscoped[K comparable, V any](f func(context.Context, []K) (map[K]V, error)) source[K, V] {
	return func(ctx context.Context, _ auth.Scope, keys []K) (map[K]V, error) { return f(ctx, keys) }
}

// sourcesOf returns the loaders' sources reading from s.
func sourcesOf(s Stores) *sources {
	return &sources{
		geography:              s.Areas,
		keptAgency:             s.Agencies.Kept,
		planTrees:              s.Plans.PlanTreesByKey,
		villagesWithPlanTrees:  s.Plans.VillagesWithPlanTrees,
		villages:               s.Areas.VillagesByCode,
		villagesBySubdistrict:  s.Areas.VillagesBySubdistrict,
		agencies:               unscoped(s.Agencies.AgenciesByCode),
		actionPlans:            unscoped(s.Programs.ActionPlansByCode),
		measures:               unscoped(s.Programs.MeasuresByCode),
		measuresByActionPlan:   unscoped(s.Programs.MeasuresByActionPlan),
		programs:               unscoped(s.Programs.ProgramsByCode),
		programsByMeasure:      unscoped(s.Programs.ProgramsByMeasure),
		programsByVillage:      s.Programs.ProgramsByVillage,
		participants:           unscoped(s.Programs.ParticipantsByProgram),
		plans:                  s.Plans.PlansByID,
		plansByKey:             s.Plans.PlansByKey,
		plansByVillage:         s.Plans.PlansByVillage,
		items:                  s.Plans.ItemsByID,
		itemsByPlan:            s.Plans.ItemsByPlan,
		facilitatorsByPlan:     s.Plans.FacilitatorsByPlan,
		itemsByPlanAsOf:        asOf(s.Plans.ItemsByPlanAsOf),
		facilitatorsByPlanAsOf: asOf(s.Plans.FacilitatorsByPlanAsOf),
		linesByItemAsOf:        asOf(s.Budgets.LinesByItemAsOf),
		totalsByPlanAsOf:       asOf(s.Budgets.TotalsByPlanAsOf),
		lines:                  s.Budgets.LinesByID,
		linesByItem:            s.Budgets.LinesByItem,
		totalsByPlan:           s.Budgets.TotalsByPlan,
		meetings:               s.Meetings.MeetingsByID,
		agendaByMeeting:        s.Meetings.AgendaByMeeting,
		agenciesByMeeting:      s.Meetings.AgencyCodesByMeeting,
		actionItems:            s.Meetings.ActionItemsByID,
		actionItemsByMeeting:   s.Meetings.ActionItemsByMeeting,
		provenance:             s.Ingest.Provenance,
		activitiesByVillage:    s.Ingest.ActivitiesByVillage,
		history:                s.Ingest.History,
	}
}

// New builds the loaders of one request made with scope sc.
func New(s Stores, sc auth.Scope, wait time.Duration) *Loaders {
	return sourcesOf(s).loaders(sc, wait)
}

// loaders returns a request's loaders, none built yet.
func (src *sources) loaders(sc auth.Scope, wait time.Duration) *Loaders {
	l := &Loaders{request: request{scope: sc, wait: wait}, geography: src.geography, keptAgency: src.keptAgency,
		planTrees: src.planTrees, villagesWithPlanTrees: src.villagesWithPlanTrees}
	l.villages.bind(src.villages, &l.request)
	l.villagesBySubdistrict.bind(src.villagesBySubdistrict, &l.request)
	l.agencies.bind(src.agencies, &l.request)
	l.actionPlans.bind(src.actionPlans, &l.request)
	l.measures.bind(src.measures, &l.request)
	l.measuresByActionPlan.bind(src.measuresByActionPlan, &l.request)
	l.programs.bind(src.programs, &l.request)
	l.programsByMeasure.bind(src.programsByMeasure, &l.request)
	l.programsByVillage.bind(src.programsByVillage, &l.request)
	l.participants.bind(src.participants, &l.request)
	l.plans.bind(src.plans, &l.request)
	l.plansByKey.bind(src.plansByKey, &l.request)
	l.plansByVillage.bind(src.plansByVillage, &l.request)
	l.items.bind(src.items, &l.request)
	l.itemsByPlan.bind(src.itemsByPlan, &l.request)
	l.facilitatorsByPlan.bind(src.facilitatorsByPlan, &l.request)
	l.itemsByPlanAsOf.bind(src.itemsByPlanAsOf, &l.request)
	l.facilitatorsByPlanAsOf.bind(src.facilitatorsByPlanAsOf, &l.request)
	l.linesByItemAsOf.bind(src.linesByItemAsOf, &l.request)
	l.totalsByPlanAsOf.bind(src.totalsByPlanAsOf, &l.request)
	l.lines.bind(src.lines, &l.request)
	l.linesByItem.bind(src.linesByItem, &l.request)
	l.totalsByPlan.bind(src.totalsByPlan, &l.request)
	l.meetings.bind(src.meetings, &l.request)
	l.agendaByMeeting.bind(src.agendaByMeeting, &l.request)
	l.agenciesByMeeting.bind(src.agenciesByMeeting, &l.request)
	l.actionItems.bind(src.actionItems, &l.request)
	l.actionItemsByMeeting.bind(src.actionItemsByMeeting, &l.request)
	l.provenance.bind(src.provenance, &l.request)
	l.activitiesByVillage.bind(src.activitiesByVillage, &l.request)
	l.history.bind(src.history, &l.request)
	return l
}

// AsOfKey is the key of a row as of an instant.
type AsOfKey struct {
	ID   int64
	AsOf time.Time
}

// AsOf returns the key of row id as of instant at.
func AsOf(id int64, at time.Time) AsOfKey { return AsOfKey{ID: id, AsOf: at.UTC().Round(0)} }

// asOf adapts a store method reading rows by id as of an instant to a fetch
// function of keys as of instants: one statement per instant (a request has one).
func asOf[V any](f func(context.Context, auth.Scope, []int64, *time.Time) (map[int64]V, error)) source[AsOfKey, V] {
	return func(ctx context.Context, sc auth.Scope, keys []AsOfKey) (map[AsOfKey]V, error) {
		ids := map[time.Time][]int64{}
		for _, k := range keys {
			ids[k.AsOf] = append(ids[k.AsOf], k.ID)
		}
		out := make(map[AsOfKey]V, len(keys))
		for at, ids := range ids {
			rows, err := f(ctx, sc, ids, &at)
			if err != nil {
				return nil, err
			}
			for id, v := range rows {
				out[AsOfKey{ID: id, AsOf: at}] = v
			}
		}
		return out, nil
	}
}

type ctxKey struct{}

// With returns ctx carrying the loaders.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// Middleware gives each request new loaders, built with the scope the request's
// context carries (see ScopeFrom).
func Middleware(s Stores, scopeOf func(context.Context) auth.Scope, wait time.Duration, next http.Handler) http.Handler {
	src := sourcesOf(s)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		next.ServeHTTP(w, r.WithContext(With(ctx, src.loaders(scopeOf(ctx), wait))))
	})
}

func from(ctx context.Context) *Loaders {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loader: no loaders in context; wrap the handler with loader.Middleware")
	}
	return l
}

// Every accessor takes, besides its key, optional keys of the whole level of the
// object asking (see batched.load): one statement then loads the level, at once.

// one loads a single value; a key with no row gives nil and no error.
func one[K comparable, V any](ctx context.Context, b *batched[K, *V], key K, level []K) (*V, error) {
	return found(b.load(ctx, key, level))
}

// found is a single value loaded: nil and no error when there is no row.
func found[V any](v *V, err error) (*V, error) {
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// many loads a list; a key with no rows gives an empty list.
func many[K comparable, V any](ctx context.Context, b *batched[K, []V], key K, level []K) ([]V, error) {
	v, err := b.load(ctx, key, level)
	if errors.Is(err, dataloadgen.ErrNotFound) || (err == nil && v == nil) {
		return []V{}, nil
	}
	return v, err
}

// Province returns a province by code (level is for the signature the level
// loading expects: the geography is in memory, nothing is batched).
func Province(ctx context.Context, code string, level ...string) (*area.Province, error) {
	return from(ctx).geography.Province(ctx, code)
}

// District returns a district by code.
func District(ctx context.Context, code string, level ...string) (*area.District, error) {
	return from(ctx).geography.District(ctx, code)
}

// Subdistrict returns a subdistrict by code.
func Subdistrict(ctx context.Context, code string, level ...string) (*area.Subdistrict, error) {
	return from(ctx).geography.Subdistrict(ctx, code)
}

// Village loads a village by code, if the caller's scope may see it.
func Village(ctx context.Context, code string, level ...string) (*area.Village, error) {
	return one(ctx, &from(ctx).villages, code, level)
}

// VillageWithPlanTree is Village for a field that also shows the village's plan of
// fiscalYear with the parts of its tree that want names: the village and the plan's
// tree are read in one round trip, and the plan and its parts cached for the fields
// below (PlanTreeByKey then finds them read).
func VillageWithPlanTree(ctx context.Context, code string, fiscalYear int, want postgres.PlanTree) (*area.Village, error) {
	l := from(ctx)
	return found(l.villages.loadWith(ctx, code, []string{code}, func(ctx context.Context, codes []string) (map[string]*area.Village, error) {
		vs, f, err := l.villagesWithPlanTrees(ctx, l.request.scope, codes, fiscalYear, want)
		if err != nil {
			return nil, err
		}
		l.plansRead(codes, fiscalYear, f)
		return vs, nil
	}))
}

// PlansRead caches the plans of fiscalYear of the given villages, read with the
// parts of their trees (a page of villages read with its plans), for the fields
// below: PlanTreeByKey then finds them read. A plan read already keeps its answer.
func PlansRead(ctx context.Context, villageCodes []string, fiscalYear int, f *postgres.PlanForest) {
	from(ctx).plansRead(villageCodes, fiscalYear, f)
}

func (l *Loaders) plansRead(villageCodes []string, fiscalYear int, f *postgres.PlanForest) {
	keys := make([]plan.Key, len(villageCodes))
	for i, c := range villageCodes {
		keys[i] = plan.Key{VillageCode: c, FiscalYear: fiscalYear}
	}
	l.plansByKey.settle(keys, f.Plans)
	l.settleTrees(f)
}

// DistrictsOf returns a province's districts.
func DistrictsOf(ctx context.Context, provinceCode string, level ...string) ([]*area.District, error) {
	ds, err := from(ctx).geography.DistrictsOf(ctx, provinceCode)
	if ds == nil && err == nil {
		ds = []*area.District{}
	}
	return ds, err
}

// SubdistrictsOf returns a district's subdistricts.
func SubdistrictsOf(ctx context.Context, districtCode string, level ...string) ([]*area.Subdistrict, error) {
	ss, err := from(ctx).geography.SubdistrictsOf(ctx, districtCode)
	if ss == nil && err == nil {
		ss = []*area.Subdistrict{}
	}
	return ss, err
}

// VillagesOf loads the villages of a subdistrict that the caller's scope may see.
func VillagesOf(ctx context.Context, subdistrictCode string, level ...string) ([]*area.Village, error) {
	return many(ctx, &from(ctx).villagesBySubdistrict, subdistrictCode, level)
}

// Agency loads an agency by code.
func Agency(ctx context.Context, code string, level ...string) (*agency.Agency, error) {
	return one(ctx, &from(ctx).agencies, code, level)
}

// KeptAgency returns an agency the agency store keeps fresh, read from memory at
// once; false when it is not kept (load it with Agency).
func KeptAgency(ctx context.Context, code string) (*agency.Agency, bool) {
	return from(ctx).keptAgency(code)
}

// Agencies loads agencies by code, in the order given, skipping unknown codes: those
// not kept are read at once, in one statement.
func Agencies(ctx context.Context, codes []string) ([]*agency.Agency, error) {
	out := make([]*agency.Agency, 0, len(codes))
	for _, c := range codes {
		a, err := one(ctx, &from(ctx).agencies, c, codes)
		if err != nil {
			return nil, err
		}
		if a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// Area loads an area of any level by code; nil when none exists or, for a
// village, when the caller's scope may not see it. The villages among the level's
// codes are read together, at once (the other levels are in memory).
func Area(ctx context.Context, code string, level ...string) (area.Area, error) {
	var a area.Area
	var err error
	switch area.LevelOf(code) {
	case area.LevelProvince:
		a, err = nilIfNone(Province(ctx, code))
	case area.LevelDistrict:
		a, err = nilIfNone(District(ctx, code))
	case area.LevelSubdistrict:
		a, err = nilIfNone(Subdistrict(ctx, code))
	default:
		a, err = nilIfNone(Village(ctx, code, villagesAmong(level)...))
	}
	return a, err
}

// villagesAmong returns the village codes among codes.
func villagesAmong(codes []string) []string {
	var out []string
	for _, c := range codes {
		if area.LevelOf(c) == area.LevelVillage {
			out = append(out, c)
		}
	}
	return out
}

// Areas loads areas of any level by code, in the order given, skipping codes with
// no area the caller may see.
func Areas(ctx context.Context, codes []string) ([]area.Area, error) {
	out := make([]area.Area, 0, len(codes))
	for _, c := range codes {
		a, err := Area(ctx, c, codes...)
		if err != nil {
			return nil, err
		}
		if a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// nilIfNone turns a typed nil pointer into a nil interface.
func nilIfNone[T interface {
	*P
	area.Area
}, P any](v T, err error) (area.Area, error) {
	if err != nil || v == nil {
		return nil, err
	}
	return v, nil
}

// ActionPlan loads an action plan by code.
func ActionPlan(ctx context.Context, code string, level ...string) (*program.ActionPlan, error) {
	return one(ctx, &from(ctx).actionPlans, code, level)
}

// Measure loads a measure by code.
func Measure(ctx context.Context, code string, level ...string) (*program.Measure, error) {
	return one(ctx, &from(ctx).measures, code, level)
}

// MeasuresOf loads an action plan's measures.
func MeasuresOf(ctx context.Context, actionPlanCode string, level ...string) ([]*program.Measure, error) {
	return many(ctx, &from(ctx).measuresByActionPlan, actionPlanCode, level)
}

// Program loads a program by code.
func Program(ctx context.Context, code string, level ...string) (*program.Program, error) {
	return one(ctx, &from(ctx).programs, code, level)
}

// ProgramsOfMeasure loads a measure's programs.
func ProgramsOfMeasure(ctx context.Context, measureCode string, level ...string) ([]*program.Program, error) {
	return many(ctx, &from(ctx).programsByMeasure, measureCode, level)
}

// ProgramsOfVillage loads the programs that target a village.
func ProgramsOfVillage(ctx context.Context, villageCode string, level ...string) ([]*program.Program, error) {
	return many(ctx, &from(ctx).programsByVillage, villageCode, level)
}

// Participants loads the agencies taking part in a program.
func Participants(ctx context.Context, programCode string, level ...string) ([]*program.Participant, error) {
	return many(ctx, &from(ctx).participants, programCode, level)
}

// Plan loads a plan by id, if the caller's scope may see it.
func Plan(ctx context.Context, id int64, level ...int64) (*plan.Plan, error) {
	return one(ctx, &from(ctx).plans, id, level)
}

// PlanByKey loads a village's plan for a fiscal year, if the caller's scope may see it.
func PlanByKey(ctx context.Context, k plan.Key, level ...plan.Key) (*plan.Plan, error) {
	return one(ctx, &from(ctx).plansByKey, k, level)
}

// PlanTreeByKey is PlanByKey for a field that shows the parts of the plans' trees
// that want names (called once, when the level is read): the level's plans are read
// with those parts in one round trip, and the parts cached for the fields below.
func PlanTreeByKey(want func() postgres.PlanTree) func(context.Context, plan.Key, ...plan.Key) (*plan.Plan, error) {
	return func(ctx context.Context, k plan.Key, level ...plan.Key) (*plan.Plan, error) {
		l := from(ctx)
		return found(l.plansByKey.loadWith(ctx, k, level, func(ctx context.Context, keys []plan.Key) (map[plan.Key]*plan.Plan, error) {
			w := want()
			if w == (postgres.PlanTree{}) {
				return l.plansByKey.fetchRows(ctx, keys)
			}
			f, err := l.planTrees(ctx, l.request.scope, keys, w)
			if err != nil {
				return nil, err
			}
			l.settleTrees(f)
			return f.Plans, nil
		}))
	}
}

// settleTrees caches the parts of a forest for the loaders that serve them.
func (l *Loaders) settleTrees(f *postgres.PlanForest) {
	if f.Items != nil {
		l.itemsByPlan.settle(keysOf(f.Items), f.Items)
	}
	if f.Lines != nil {
		l.linesByItem.settle(keysOf(f.Lines), f.Lines)
	}
	if f.Totals != nil {
		l.totalsByPlan.settle(keysOf(f.Totals), f.Totals)
	}
	if f.Facilitators != nil {
		l.facilitatorsByPlan.settle(keysOf(f.Facilitators), f.Facilitators)
	}
}

func keysOf[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// PlansOf loads a village's plans, newest first.
func PlansOf(ctx context.Context, villageCode string, level ...string) ([]*plan.Plan, error) {
	return many(ctx, &from(ctx).plansByVillage, villageCode, level)
}

// Item loads a plan item by id, if the caller's scope may see it.
func Item(ctx context.Context, id int64, level ...int64) (*plan.Item, error) {
	return one(ctx, &from(ctx).items, id, level)
}

// ItemsOf loads a plan's items.
func ItemsOf(ctx context.Context, planID int64, level ...int64) ([]*plan.Item, error) {
	return many(ctx, &from(ctx).itemsByPlan, planID, level)
}

// FacilitatorsOf loads a plan's facilitators.
func FacilitatorsOf(ctx context.Context, planID int64, level ...int64) ([]*plan.Facilitator, error) {
	return many(ctx, &from(ctx).facilitatorsByPlan, planID, level)
}

// ItemsOfAsOf loads a plan's items as of an instant.
func ItemsOfAsOf(ctx context.Context, k AsOfKey, level ...AsOfKey) ([]*plan.Item, error) {
	return many(ctx, &from(ctx).itemsByPlanAsOf, k, level)
}

// FacilitatorsOfAsOf loads a plan's facilitators as of an instant.
func FacilitatorsOfAsOf(ctx context.Context, k AsOfKey, level ...AsOfKey) ([]*plan.Facilitator, error) {
	return many(ctx, &from(ctx).facilitatorsByPlanAsOf, k, level)
}

// LinesOfAsOf loads the budget lines of a plan item as of an instant.
func LinesOfAsOf(ctx context.Context, k AsOfKey, level ...AsOfKey) ([]*budget.Line, error) {
	return many(ctx, &from(ctx).linesByItemAsOf, k, level)
}

// PlanBudgetTotalAsOf loads the sum of the budget lines of a plan's items as of an
// instant.
func PlanBudgetTotalAsOf(ctx context.Context, k AsOfKey, level ...AsOfKey) (decimal.Decimal, error) {
	v, err := from(ctx).totalsByPlanAsOf.load(ctx, k, level)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return decimal.Zero, nil
	}
	return v, err
}

// Line loads a budget line by id, if the caller's scope may see it.
func Line(ctx context.Context, id int64, level ...int64) (*budget.Line, error) {
	return one(ctx, &from(ctx).lines, id, level)
}

// LinesOf loads the budget lines of a plan item.
func LinesOf(ctx context.Context, itemID int64, level ...int64) ([]*budget.Line, error) {
	return many(ctx, &from(ctx).linesByItem, itemID, level)
}

// PlanBudgetTotal loads the sum of the budget lines of a plan's items.
func PlanBudgetTotal(ctx context.Context, planID int64, level ...int64) (decimal.Decimal, error) {
	v, err := from(ctx).totalsByPlan.load(ctx, planID, level)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return decimal.Zero, nil
	}
	return v, err
}

// Meeting loads a meeting by id.
func Meeting(ctx context.Context, id int64, level ...int64) (*meeting.Meeting, error) {
	return one(ctx, &from(ctx).meetings, id, level)
}

// AgendaOf loads a meeting's agenda.
func AgendaOf(ctx context.Context, meetingID int64, level ...int64) ([]*meeting.AgendaItem, error) {
	return many(ctx, &from(ctx).agendaByMeeting, meetingID, level)
}

// AgencyCodesAt loads the codes of the agencies present at a meeting.
func AgencyCodesAt(ctx context.Context, meetingID int64, level ...int64) ([]string, error) {
	return many(ctx, &from(ctx).agenciesByMeeting, meetingID, level)
}

// ActionItem loads an action item by id.
func ActionItem(ctx context.Context, id int64, level ...int64) (*meeting.ActionItem, error) {
	return one(ctx, &from(ctx).actionItems, id, level)
}

// ActionItemsOf loads a meeting's action items.
func ActionItemsOf(ctx context.Context, meetingID int64, level ...int64) ([]*meeting.ActionItem, error) {
	return many(ctx, &from(ctx).actionItemsByMeeting, meetingID, level)
}

// ProvenanceOf loads the assertions on an object.
func ProvenanceOf(ctx context.Context, ref postgres.ObjectRef, level ...postgres.ObjectRef) ([]*postgres.Assertion, error) {
	return many(ctx, &from(ctx).provenance, ref, level)
}

// ActivitiesOf loads the prevention activities held in a village, latest first.
func ActivitiesOf(ctx context.Context, villageCode string, level ...string) ([]*activity.Activity, error) {
	return many(ctx, &from(ctx).activitiesByVillage, villageCode, level)
}

// HistoryOf loads the changes of the assertions on an object, newest first.
func HistoryOf(ctx context.Context, ref postgres.ObjectRef, level ...postgres.ObjectRef) ([]*postgres.AssertionChange, error) {
	return many(ctx, &from(ctx).history, ref, level)
}
