package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/program"
)

// ProgramStore reads action plans, measures and programs, and the progress of the
// plans of a program's target villages. Plans, measures and programs themselves are
// public; what is counted inside them follows the caller's scope.
type ProgramStore struct{ db *DB }

// NewProgramStore returns a ProgramStore on db.
func NewProgramStore(db *DB) *ProgramStore { return &ProgramStore{db: db} }

const (
	actionPlanColumns = `ap.code, ap.name_th, ap.name_en, ap.fiscal_year`
	measureColumns    = `m.code, m.action_plan_code, m.number, m.name_th, m.name_en, m.committee`
	programColumns    = `p.code, p.measure_code, p.name_th, p.name_en, p.description, p.fiscal_year_from, p.fiscal_year_to`
)

// ActionPlansByCode returns the action plans with the given codes.
func (s *ProgramStore) ActionPlansByCode(ctx context.Context, codes []string) (map[string]*program.ActionPlan, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+actionPlanColumns+` FROM action_plan ap WHERE ap.code = ANY($1)`, codes)
	aps, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.ActionPlan])
	return byKey(aps, err, "action plans by code", func(a *program.ActionPlan) string { return a.Code })
}

func actionPlanQuery(fiscalYear *int) *query {
	q := newQuery()
	if fiscalYear != nil {
		q.and("ap.fiscal_year = @fy", pgx.NamedArgs{"fy": *fiscalYear})
	}
	return q
}

// ActionPlans returns a page of action plans, newest fiscal year first.
func (s *ProgramStore) ActionPlans(ctx context.Context, fiscalYear *int, p Page) ([]*program.ActionPlan, error) {
	q := actionPlanQuery(fiscalYear)
	if p.After != "" {
		parts, err := p.afterParts(2)
		if err != nil {
			return nil, err
		}
		fy, err := afterInt64(parts[0])
		if err != nil {
			return nil, err
		}
		q.and("(ap.fiscal_year < @after_fy OR (ap.fiscal_year = @after_fy AND ap.code > @after_code))",
			pgx.NamedArgs{"after_fy": fy, "after_code": parts[1]})
	}
	q.args["limit"] = p.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+actionPlanColumns+` FROM action_plan ap`+q.where()+
		` ORDER BY ap.fiscal_year DESC, ap.code LIMIT @limit`, q.args)
	aps, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.ActionPlan])
	return aps, pgError(err, "action plans")
}

// CountActionPlans counts action plans, optionally of one fiscal year.
func (s *ProgramStore) CountActionPlans(ctx context.Context, fiscalYear *int) (int, error) {
	q := actionPlanQuery(fiscalYear)
	var n int
	err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM action_plan ap`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count action plans")
}

// MeasuresByCode returns the measures with the given codes.
func (s *ProgramStore) MeasuresByCode(ctx context.Context, codes []string) (map[string]*program.Measure, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+measureColumns+` FROM measure m WHERE m.code = ANY($1)`, codes)
	ms, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.Measure])
	return byKey(ms, err, "measures by code", func(m *program.Measure) string { return m.Code })
}

// MeasuresByActionPlan returns the measures of the given action plans, by number.
func (s *ProgramStore) MeasuresByActionPlan(ctx context.Context, codes []string) (map[string][]*program.Measure, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+measureColumns+` FROM measure m WHERE m.action_plan_code = ANY($1) ORDER BY m.number`, codes)
	ms, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.Measure])
	return groupRows(ms, err, "measures by action plan", func(m *program.Measure) string { return m.ActionPlanCode })
}

// ProgramsByCode returns the programs with the given codes.
func (s *ProgramStore) ProgramsByCode(ctx context.Context, codes []string) (map[string]*program.Program, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+programColumns+` FROM program p WHERE p.code = ANY($1)`, codes)
	ps, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.Program])
	return byKey(ps, err, "programs by code", func(p *program.Program) string { return p.Code })
}

// ProgramsByMeasure returns the programs of the given measures, by code.
func (s *ProgramStore) ProgramsByMeasure(ctx context.Context, codes []string) (map[string][]*program.Program, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+programColumns+` FROM program p WHERE p.measure_code = ANY($1) ORDER BY p.code`, codes)
	ps, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.Program])
	return groupRows(ps, err, "programs by measure", func(p *program.Program) string { return p.MeasureCode })
}

// ProgramsByVillage returns the programs that target the given villages, by code.
// Villages outside scope get none.
func (s *ProgramStore) ProgramsByVillage(ctx context.Context, sc auth.Scope, villageCodes []string) (map[string][]*program.Program, error) {
	q := newQuery().and("pv.village_code = ANY(@codes)", pgx.NamedArgs{"codes": villageCodes}).
		and(sc.AreaPredicate("pv.village_code"), sc.NamedArgs())
	rows, err := s.db.Pool.Query(ctx, `SELECT pv.village_code, `+programColumns+`
		FROM program_village pv JOIN program p ON p.code = pv.program_code`+q.where()+` ORDER BY p.code`, q.args)
	if err != nil {
		return nil, pgError(err, "programs by village")
	}
	out := map[string][]*program.Program{}
	var village string
	var p program.Program
	_, err = pgx.ForEachRow(rows, []any{&village, &p.Code, &p.MeasureCode, &p.NameTh, &p.NameEn, &p.Description, &p.FiscalYearFrom, &p.FiscalYearTo}, func() error {
		c := p
		out[village] = append(out[village], &c)
		return nil
	})
	return out, pgError(err, "programs by village")
}

// ParticipantsByProgram returns the agencies taking part in the given programs:
// lead first, then partners, then supporters, each by agency code.
func (s *ProgramStore) ParticipantsByProgram(ctx context.Context, codes []string) (map[string][]*program.Participant, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT program_code, agency_code, role FROM program_agency WHERE program_code = ANY($1)
		ORDER BY program_code, array_position(ARRAY['LEAD','PARTNER','SUPPORTER'], role), agency_code`, codes)
	ps, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.Participant])
	return groupRows(ps, err, "participants by program", func(p *program.Participant) string { return p.ProgramCode })
}

func programQuery(f program.Filter) (*query, error) {
	q := newQuery()
	if f.MeasureCode != nil {
		q.and("p.measure_code = @measure", pgx.NamedArgs{"measure": *f.MeasureCode})
	}
	if f.FiscalYear != nil {
		q.and("@fy BETWEEN p.fiscal_year_from AND p.fiscal_year_to", pgx.NamedArgs{"fy": *f.FiscalYear})
	}
	if f.AreaCode != nil {
		code, err := area.ParseCode(*f.AreaCode)
		if err != nil {
			return nil, apperr.Invalid("filter.areaCode", "%s", err)
		}
		q.and("EXISTS (SELECT 1 FROM program_village pv WHERE pv.program_code = p.code AND "+prefixRange("pv.village_code", "area")+")",
			pgx.NamedArgs{"area": code})
	}
	if f.AgencyCode != nil {
		q.and("EXISTS (SELECT 1 FROM program_agency pa WHERE pa.program_code = p.code AND pa.agency_code = @agency)",
			pgx.NamedArgs{"agency": *f.AgencyCode})
	}
	return q, nil
}

// Programs returns a page of programs matching f, by code.
func (s *ProgramStore) Programs(ctx context.Context, f program.Filter, p Page) ([]*program.Program, error) {
	q, err := programQuery(f)
	if err != nil {
		return nil, err
	}
	if p.After != "" {
		q.and("p.code > @after", pgx.NamedArgs{"after": p.After})
	}
	q.args["limit"] = p.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+programColumns+` FROM program p`+q.where()+` ORDER BY p.code LIMIT @limit`, q.args)
	ps, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[program.Program])
	return ps, pgError(err, "programs")
}

// CountPrograms counts the programs matching f.
func (s *ProgramStore) CountPrograms(ctx context.Context, f program.Filter) (int, error) {
	q, err := programQuery(f)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM program p`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count programs")
}

// targetPlans is the villages counted (a program's targets, or every village) that
// scope may see, inside @within when set, each with the status and participation
// of its plan for the fiscal year (NOT_STARTED when none).
func targetPlans(sc auth.Scope, pr *program.Progress, within *string, args pgx.NamedArgs) (string, error) {
	args["fy"], args["program"] = pr.FiscalYear, pr.ProgramCode
	from, where := `program_village pv`, `pv.program_code = @program`
	if pr.ProgramCode == "" {
		from, where = `(SELECT code AS village_code FROM area WHERE level = 'VILLAGE')`+` pv`, `TRUE`
	}
	where += " AND " + sc.AreaPredicate("pv.village_code")
	for name, code := range map[string]*string{"within": pr.Within, "within_too": within} {
		if code == nil {
			continue
		}
		c, err := area.ParseCode(*code)
		if err != nil {
			return "", apperr.Invalid("areaCode", "%s", err)
		}
		where += " AND " + prefixRange("pv.village_code", name)
		args[name] = c
	}
	return `SELECT pv.village_code AS code, COALESCE(vp.status, 'NOT_STARTED') AS status, vp.participation_rate
		FROM ` + from + `
		LEFT JOIN village_plan vp ON vp.village_code = pv.village_code AND vp.fiscal_year = @fy
		WHERE ` + where, nil
}

const countColumns = `count(*),
	count(*) FILTER (WHERE status = 'COMPLETED'),
	count(*) FILTER (WHERE status = 'IN_PROGRESS'),
	count(*) FILTER (WHERE status = 'NOT_STARTED')`

// Progress returns the progress of the plans of a program's target villages for a
// fiscal year, counting only villages inside scope.
func (s *ProgramStore) Progress(ctx context.Context, sc auth.Scope, programCode string, fiscalYear int) (*program.Progress, error) {
	return s.ProgressOf(ctx, sc, &program.Progress{ProgramCode: programCode, FiscalYear: fiscalYear})
}

// ProgressOf fills in the counts of pr: the plans of a program's target villages,
// or of every village (inside pr.Within), counting only villages inside scope.
func (s *ProgramStore) ProgressOf(ctx context.Context, sc auth.Scope, pr *program.Progress) (*program.Progress, error) {
	if pr.ProgramCode == "" && districtGrained(sc, pr.Within) {
		return s.progressFromSummaries(ctx, sc, pr)
	}
	args := sc.NamedArgs()
	targets, err := targetPlans(sc, pr, nil, args)
	if err != nil {
		return nil, err
	}
	err = s.db.Pool.QueryRow(ctx, `WITH t AS (`+targets+`)
		SELECT `+countColumns+`,
			count(DISTINCT left(code, 6)), count(DISTINCT left(code, 4)), count(DISTINCT left(code, 2)),
			count(*) FILTER (WHERE status = 'COMPLETED' AND participation_rate >= 75)
		FROM t`, args).Scan(&pr.VillagesTargeted, &pr.PlansCompleted, &pr.PlansInProgress, &pr.PlansNotStarted,
		&pr.SubdistrictCount, &pr.DistrictCount, &pr.ProvinceCount, &pr.PlansMeetingParticipationTarget)
	return pr, pgError(err, "program progress")
}

// ProgressByArea returns the progress per province (level 2) or district (level 4)
// of a program's target villages inside scope, optionally only inside one area.
func (s *ProgramStore) ProgressByArea(ctx context.Context, sc auth.Scope, pr *program.Progress, codeLength int, within *string) ([]*program.AreaProgress, error) {
	if pr.ProgramCode == "" && districtGrained(sc, pr.Within, within) {
		return s.progressByAreaFromSummaries(ctx, sc, pr, codeLength, within)
	}
	args := sc.NamedArgs()
	args["len"] = codeLength
	targets, err := targetPlans(sc, pr, within, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Pool.Query(ctx, `WITH t AS (`+targets+`)
		SELECT left(code, @len) AS area_code, `+countColumns+`
		FROM t GROUP BY 1 ORDER BY 1`, args)
	if err != nil {
		return nil, pgError(err, "progress by area")
	}
	var out []*program.AreaProgress
	var a program.AreaProgress
	_, err = pgx.ForEachRow(rows, []any{&a.AreaCode, &a.VillagesTargeted, &a.PlansCompleted, &a.PlansInProgress, &a.PlansNotStarted}, func() error {
		c := a
		out = append(out, &c)
		return nil
	})
	return out, pgError(err, "progress by area")
}

// ActionPlanKey is the sort key of an action plan in ActionPlans.
func ActionPlanKey(a *program.ActionPlan) string { return Key(strconv.Itoa(a.FiscalYear), a.Code) }

// Targets reports whether a program targets a village (an error counts as no).
func (s *ProgramStore) Targets(ctx context.Context, programCode, villageCode string) bool {
	var ok bool
	err := s.db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM program_village WHERE program_code = $1 AND village_code = $2)`,
		programCode, villageCode).Scan(&ok)
	return err == nil && ok
}
