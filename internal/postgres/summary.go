package postgres

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/program"
)

// districtGrained reports whether a question can be answered from the summaries
// kept by district (budget_total, plan_count, village_count; migration 00017): the
// caller sees everything or whole districts or provinces (no subdistricts,
// villages or programs), and each area asked about is a district or coarser.
func districtGrained(sc auth.Scope, areas ...*string) bool {
	if !sc.IsAll() {
		if len(sc.ProgramCodes()) > 0 {
			return false
		}
		for _, a := range sc.AreaCodes() {
			if len(a) > 4 {
				return false
			}
		}
	}
	for _, a := range areas {
		if a == nil {
			continue
		}
		code, err := area.ParseCode(*a)
		if err != nil || len(code) > 4 {
			return false
		}
	}
	return true
}

// countryGrained reports whether a budget question can be answered from the totals
// of the whole country: the caller sees everything, no area is asked about, and
// nothing is grouped by area.
func countryGrained(sc auth.Scope, groupBy []budget.Dimension, area *string) bool {
	return sc.IsAll() && area == nil && !slices.Contains(groupBy, budget.ByProvince) && !slices.Contains(groupBy, budget.ByDistrict)
}

// provinceGrained reports whether a budget question can be answered from the
// totals by province: the caller sees everything or whole provinces, the areas
// asked about are provinces, and nothing is grouped by district.
func provinceGrained(sc auth.Scope, groupBy []budget.Dimension, areas ...*string) bool {
	if slices.Contains(groupBy, budget.ByDistrict) || !districtGrained(sc, areas...) {
		return false
	}
	for _, a := range sc.AreaCodes() {
		if len(a) > 2 {
			return false
		}
	}
	for _, a := range areas {
		if a != nil {
			if code, _ := area.ParseCode(*a); len(code) > 2 {
				return false
			}
		}
	}
	return true
}

// summaryProgress is the progress of every village's plan (inside pr.Within and
// within, and the scope) from the summaries, grouped by the first groupLen digits
// of the area (0: in total).
func summaryProgress(sc auth.Scope, pr *program.Progress, within *string, groupLen int) (string, pgx.NamedArgs) {
	args := sc.NamedArgs()
	args["fy"], args["len"] = pr.FiscalYear, groupLen
	villages, plans := sc.AreaPredicate("vc.area_code"), sc.AreaPredicate("pc.area_code")
	for name, code := range map[string]*string{"within": pr.Within, "within_too": within} {
		if code == nil {
			continue
		}
		c, _ := area.ParseCode(*code) // districtGrained checked it
		args[name] = c
		villages += " AND " + prefixRange("vc.area_code", name)
		plans += " AND " + prefixRange("pc.area_code", name)
	}
	// each side is summed by area first, and the (at most 77 or 928) sums joined
	return `WITH v AS (
			SELECT left(vc.area_code, @len) AS area_code, sum(vc.villages) AS villages, sum(vc.subdistricts) AS subdistricts,
				count(*) AS districts, count(DISTINCT left(vc.area_code, 2)) AS provinces
			FROM village_count_district vc WHERE vc.villages > 0 AND ` + villages + ` GROUP BY 1),
		p AS (
			SELECT left(pc.area_code, @len) AS area_code,
				sum(pc.plans) FILTER (WHERE pc.status = 'COMPLETED') AS completed,
				sum(pc.plans) FILTER (WHERE pc.status = 'IN_PROGRESS') AS in_progress,
				sum(pc.meeting_target) AS meeting_target
			FROM plan_count pc WHERE pc.fiscal_year = @fy AND ` + plans + ` GROUP BY 1)
		SELECT v.area_code, v.villages::int, coalesce(p.completed, 0)::int, coalesce(p.in_progress, 0)::int,
			(v.villages - coalesce(p.completed, 0) - coalesce(p.in_progress, 0))::int,
			v.subdistricts::int, v.districts::int, v.provinces::int, coalesce(p.meeting_target, 0)::int
		FROM v LEFT JOIN p USING (area_code)
		ORDER BY 1`, args
}

// progressFromSummaries fills in pr from the summaries.
func (s *ProgramStore) progressFromSummaries(ctx context.Context, sc auth.Scope, pr *program.Progress) (*program.Progress, error) {
	sql, args := summaryProgress(sc, pr, nil, 0)
	var code string
	err := s.db.Pool.QueryRow(ctx, sql, args).Scan(&code, &pr.VillagesTargeted, &pr.PlansCompleted, &pr.PlansInProgress, &pr.PlansNotStarted,
		&pr.SubdistrictCount, &pr.DistrictCount, &pr.ProvinceCount, &pr.PlansMeetingParticipationTarget)
	if err == pgx.ErrNoRows {
		return pr, nil
	}
	return pr, pgError(err, "plan progress")
}

// ProgressWithProvinces is ProgressOf with the progress per province read in the
// same statement, in pr.Provinces, when the summaries answer (every village, at
// district grain or coarser): the totals are the provinces' sums. Otherwise it is
// ProgressOf alone.
func (s *ProgramStore) ProgressWithProvinces(ctx context.Context, sc auth.Scope, pr *program.Progress) (*program.Progress, error) {
	if pr.ProgramCode != "" || !districtGrained(sc, pr.Within) {
		return s.ProgressOf(ctx, sc, pr)
	}
	sql, args := summaryProgress(sc, pr, nil, 2)
	rows, err := s.db.Pool.Query(ctx, sql, args)
	if err != nil {
		return nil, pgError(err, "plan progress by province")
	}
	pr.Provinces = []*program.AreaProgress{}
	var a program.AreaProgress
	var subdistricts, districts, provinces, meetingTarget int
	_, err = pgx.ForEachRow(rows, []any{&a.AreaCode, &a.VillagesTargeted, &a.PlansCompleted, &a.PlansInProgress, &a.PlansNotStarted,
		&subdistricts, &districts, &provinces, &meetingTarget}, func() error {
		c := a
		pr.Provinces = append(pr.Provinces, &c)
		pr.VillagesTargeted += a.VillagesTargeted
		pr.PlansCompleted += a.PlansCompleted
		pr.PlansInProgress += a.PlansInProgress
		pr.PlansNotStarted += a.PlansNotStarted
		pr.SubdistrictCount += subdistricts
		pr.DistrictCount += districts
		pr.ProvinceCount += provinces
		pr.PlansMeetingParticipationTarget += meetingTarget
		return nil
	})
	return pr, pgError(err, "plan progress by province")
}

// progressByAreaFromSummaries is ProgressByArea from the summaries.
func (s *ProgramStore) progressByAreaFromSummaries(ctx context.Context, sc auth.Scope, pr *program.Progress, codeLength int, within *string) ([]*program.AreaProgress, error) {
	sql, args := summaryProgress(sc, pr, within, codeLength)
	rows, err := s.db.Pool.Query(ctx, sql, args)
	if err != nil {
		return nil, pgError(err, "progress by area")
	}
	var out []*program.AreaProgress
	var a program.AreaProgress
	var skip int
	_, err = pgx.ForEachRow(rows, []any{&a.AreaCode, &a.VillagesTargeted, &a.PlansCompleted, &a.PlansInProgress, &a.PlansNotStarted,
		&skip, &skip, &skip, &skip}, func() error {
		c := a
		out = append(out, &c)
		return nil
	})
	return out, pgError(err, "progress by area")
}
