package postgres

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/program"
)

func checkName(field, name string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(name)); n == 0 || n > 300 {
		return apperr.Invalid(field, "a name of 1 to 300 characters")
	}
	return nil
}

// everywhere refuses writers of national objects who do not write everywhere.
func everywhere(write auth.Scope, what string) error {
	if write.IsNone() {
		return apperr.New(apperr.Forbidden, "your role may not write %s", what)
	}
	if !write.IsAll() {
		return apperr.New(apperr.Forbidden, "%s are national: only roles that write programs everywhere change them", what)
	}
	return nil
}

// SetActionPlan creates or changes an action plan.
func (s *ProgramStore) SetActionPlan(ctx context.Context, write auth.Scope, a program.ActionPlan) (*program.ActionPlan, error) {
	if err := everywhere(write, "action plans"); err != nil {
		return nil, err
	}
	if err := checkName("input.nameTh", a.NameTh); err != nil {
		return nil, err
	}
	rows, _ := s.db.Pool.Query(ctx, `INSERT INTO action_plan (code, name_th, name_en, fiscal_year) VALUES ($1, $2, $3, $4)
		ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, fiscal_year = EXCLUDED.fiscal_year
		RETURNING code, name_th, name_en, fiscal_year`, strings.ToUpper(strings.TrimSpace(a.Code)), strings.TrimSpace(a.NameTh), a.NameEn, a.FiscalYear)
	out, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[program.ActionPlan])
	return out, pgError(err, "set action plan")
}

// SetMeasure creates or changes a measure of an action plan.
func (s *ProgramStore) SetMeasure(ctx context.Context, write auth.Scope, m program.Measure) (*program.Measure, error) {
	if err := everywhere(write, "measures"); err != nil {
		return nil, err
	}
	if err := checkName("input.nameTh", m.NameTh); err != nil {
		return nil, err
	}
	rows, _ := s.db.Pool.Query(ctx, `INSERT INTO measure (code, action_plan_code, number, name_th, name_en, committee) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (code) DO UPDATE SET action_plan_code = EXCLUDED.action_plan_code, number = EXCLUDED.number,
			name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, committee = EXCLUDED.committee
		RETURNING code, action_plan_code, number, name_th, name_en, committee`,
		strings.ToUpper(strings.TrimSpace(m.Code)), m.ActionPlanCode, m.Number, strings.TrimSpace(m.NameTh), m.NameEn, m.Committee)
	out, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[program.Measure])
	return out, pgError(err, "set measure")
}

// SetProgram creates or changes a program with its target villages and
// participants (both replaced), in one transaction. A writer limited to areas may
// only target villages inside them, and only change a program whose targets all are.
func (s *ProgramStore) SetProgram(ctx context.Context, write auth.Scope, p program.Program, villages []string, participants []program.Participant) (*program.Program, bool, error) {
	if write.IsNone() {
		return nil, false, apperr.New(apperr.Forbidden, "your role may not write programs")
	}
	if err := checkName("input.nameTh", p.NameTh); err != nil {
		return nil, false, err
	}
	if p.FiscalYearTo < p.FiscalYearFrom {
		return nil, false, apperr.Invalid("input.fiscalYearTo", "the program ends (%d) before it starts (%d)", p.FiscalYearTo, p.FiscalYearFrom)
	}
	codes := make([]string, len(villages))
	for i, v := range villages {
		c, err := area.ParseLevelCode(v, area.LevelVillage)
		if err != nil {
			return nil, false, apperr.Invalid("input.targetVillageCodes["+strconv.Itoa(i)+"]", "%s", err)
		}
		if !write.CoversArea(c) {
			return nil, false, apperr.New(apperr.Forbidden, "village %s is outside the areas you may write", c)
		}
		codes[i] = c
	}
	p.Code = strings.ToUpper(strings.TrimSpace(p.Code))
	var out *program.Program
	created := false
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		args := write.NamedArgs()
		args["code"] = p.Code
		var outside int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM program_village pv WHERE pv.program_code = @code
			AND NOT coalesce(`+write.AreaPredicate("pv.village_code")+`, false)`, args).Scan(&outside); err != nil {
			return err
		}
		if outside > 0 {
			return apperr.New(apperr.Forbidden, "program %s targets %d villages outside the areas you may write", p.Code, outside)
		}
		if err := tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM program WHERE code = $1)`, p.Code).Scan(&created); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `INSERT INTO program AS p (code, measure_code, name_th, name_en, description, fiscal_year_from, fiscal_year_to)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (code) DO UPDATE SET measure_code = EXCLUDED.measure_code, name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en,
				description = EXCLUDED.description, fiscal_year_from = EXCLUDED.fiscal_year_from, fiscal_year_to = EXCLUDED.fiscal_year_to
			RETURNING `+programColumns, p.Code, p.MeasureCode, strings.TrimSpace(p.NameTh), p.NameEn, p.Description, p.FiscalYearFrom, p.FiscalYearTo)
		var err error
		if out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[program.Program]); err != nil {
			return err
		}
		agencies, roles := make([]string, len(participants)), make([]string, len(participants))
		for i, pa := range participants {
			agencies[i], roles[i] = pa.AgencyCode, string(pa.Role)
		}
		for _, sql := range []string{
			`DELETE FROM program_village WHERE program_code = @code AND village_code <> ALL(@villages)`,
			`INSERT INTO program_village (program_code, village_code) SELECT @code, unnest(@villages::text[]) ON CONFLICT DO NOTHING`,
			`DELETE FROM program_agency WHERE program_code = @code`,
			`INSERT INTO program_agency (program_code, agency_code, role) SELECT @code, a, r FROM unnest(@agencies::text[], @roles::text[]) AS x(a, r)`,
		} {
			if _, err := tx.Exec(ctx, sql, pgx.NamedArgs{"code": p.Code, "villages": codes, "agencies": agencies, "roles": roles}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, pgError(err, "set program")
	}
	return out, created, nil
}
