package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// NationalStats says what LoadNational wrote and how long each step took.
type NationalStats struct {
	Villages, Plans, Items, Lines, ProgramVillages int
	Steps                                          []NationalStep
	Took                                           time.Duration
}

// NationalStep is one step of LoadNational and its duration.
type NationalStep struct {
	Name string
	Took time.Duration
}

// National program codes: a national drug-prevention program over a few thousand
// villages, and Pid Thong's support program over some of them.
const (
	NationalProgram = "ROIJAIRAK-NAT-2565"
	PidThongProgram = "PIDTHONG-SUPPORT-2565"
)

// nationalSteps generate a national data set on the real geography, set-based and
// reproducibly: every value comes from a hash of the row's own key, so that two
// loads write the same data. On top of the demo (its agencies, action plan and
// measure): about ten villages per subdistrict (~74,000), a plan per village for
// each of FY 2564–2566 with about five items each and one or two budget lines per
// item, a provincial office per province, and two programs over a few thousand
// villages. The rows are marked demo; inserted rows are their own current
// versions (migration 00031), so none are written.
var nationalSteps = []struct{ name, sql string }{
	{"agencies", `
		INSERT INTO agency (code, name_th, kind)
		SELECT 'PO-' || p.code, 'สำนักงานจังหวัด' || p.name_th, 'PROVINCIAL_OFFICE' FROM area p WHERE p.level = 'PROVINCE'
		ON CONFLICT (code) DO NOTHING;
		INSERT INTO agency_area (agency_code, area_code)
		SELECT 'PO-' || p.code, p.code FROM area p WHERE p.level = 'PROVINCE'
		ON CONFLICT DO NOTHING`},
	{"villages", `
		INSERT INTO area (code, parent_code, moo, name_th, households, population, is_demo)
		SELECT s.code || lpad(m::text, 2, '0'), s.code, m,
			'บ้าน' || (ARRAY['ห้วย','ดอย','ป่า','หนอง','แม่','ทุ่ง','ผา','นา','สัน','โป่ง'])[1 + abs(hashtext(s.code || m)) % 10]
				|| (ARRAY['ทราย','เย็น','คำ','ใหม่','หลวง','แดง','งาม','สุข','ทอง','เหนือ'])[1 + abs(hashtext(m || s.code)) % 10] || ' หมู่ ' || m,
			40 + abs(hashtext(s.code || ':h:' || m)) % 500,
			(40 + abs(hashtext(s.code || ':h:' || m)) % 500) * (2 + abs(hashtext(s.code || ':p:' || m)) % 3),
			true
		FROM area s
		CROSS JOIN LATERAL generate_series(1, 5 + abs(hashtext(s.code)) % 11) AS m
		WHERE s.level = 'SUBDISTRICT'
		ON CONFLICT (code) DO NOTHING`},
	{"plans", `
		INSERT INTO village_plan (village_code, fiscal_year, status, scheduled_start, scheduled_end, completed_on, participation_rate, is_demo)
		SELECT v.code, fy, st,
			make_date(fy - 544, 10, 1), make_date(fy - 543, 9, 30),
			CASE WHEN st = 'COMPLETED' THEN make_date(fy - 543, 1 + h % 9, 1 + h % 28) END,
			CASE WHEN st <> 'NOT_STARTED' THEN 40 + h % 61 END,
			true
		FROM area v
		CROSS JOIN generate_series(2564, 2566) AS fy
		CROSS JOIN LATERAL (SELECT abs(hashtext(v.code || ':' || fy)) AS h) x
		CROSS JOIN LATERAL (SELECT CASE WHEN fy = 2564 OR x.h % 10 < 3 THEN 'COMPLETED'
			WHEN fy = 2565 OR x.h % 10 < 6 THEN 'IN_PROGRESS' ELSE 'NOT_STARTED' END AS st) y
		WHERE v.level = 'VILLAGE' AND v.is_demo
		ON CONFLICT (village_code, fiscal_year) DO NOTHING`},
	{"items", `
		INSERT INTO plan_item (village_plan_id, position, title, category, responsible_agency_code, is_demo)
		SELECT p.id, i,
			(ARRAY['ฝึกอาชีพ','ซ่อมถนน','รณรงค์ป้องกันยาเสพติด','ปรับปรุงประปา','ปลูกป่าชุมชน','ลานกีฬา','กองทุนหมู่บ้าน','อบรมเยาวชน'])[1 + (p.id + i) % 8]
				|| ' (' || i || ')',
			(ARRAY['LIVELIHOOD','INFRASTRUCTURE','PREVENTION','INFRASTRUCTURE','ENVIRONMENT','SOCIAL','LIVELIHOOD','EDUCATION'])[1 + (p.id + i) % 8],
			(ARRAY['CDD','ONCB','PIDTHONG','MFLF'])[1 + (p.id * 7 + i) % 4],
			true
		FROM village_plan p
		CROSS JOIN LATERAL generate_series(1, 3 + (p.id % 5)::int) AS i
		WHERE p.is_demo AND NOT EXISTS (SELECT 1 FROM plan_item x WHERE x.village_plan_id = p.id)`},
	{"budget lines", `
		INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, plan_item_id, area_code, is_demo)
		SELECT vp.fiscal_year, (5 + (pi.id * 13 + n) % 200) * 1000,
			(ARRAY['AGENCY_CORE','INTEGRATED_FUNCTION','PROVINCIAL','LOCAL_GOVERNMENT','OTHER'])[1 + (pi.id + n) % 5],
			(ARRAY['REQUESTED','APPROVED','DISBURSED'])[1 + (pi.id * 3 + n) % 3],
			CASE WHEN n = 1 THEN coalesce(pi.responsible_agency_code, 'CDD') ELSE 'PO-' || left(vp.village_code, 2) END,
			pi.id, vp.village_code, true
		FROM plan_item pi
		JOIN village_plan vp ON vp.id = pi.village_plan_id
		CROSS JOIN LATERAL generate_series(1, 1 + (pi.id % 2)::int) AS n
		WHERE pi.is_demo AND NOT EXISTS (SELECT 1 FROM budget_line x WHERE x.plan_item_id = pi.id)`},
	{"programs", `
		INSERT INTO program (code, measure_code, name_th, name_en, fiscal_year_from, fiscal_year_to) VALUES
			('` + NationalProgram + `', 'NBDAP-2564-M6', 'โครงการร้อยใจรักษ์ระดับประเทศ (ข้อมูลสาธิต)', 'Roi Jai Rak national (demo data)', 2565, 2566),
			('` + PidThongProgram + `', 'NBDAP-2564-M6', 'โครงการสนับสนุนของสถาบันปิดทองฯ (ข้อมูลสาธิต)', 'Pid Thong support (demo data)', 2565, 2566)
		ON CONFLICT (code) DO NOTHING;
		INSERT INTO program_agency (program_code, agency_code, role) VALUES
			('` + NationalProgram + `', 'ONCB', 'LEAD'), ('` + NationalProgram + `', 'PIDTHONG', 'PARTNER'),
			('` + PidThongProgram + `', 'PIDTHONG', 'LEAD')
		ON CONFLICT DO NOTHING;
		INSERT INTO program_village (program_code, village_code)
		SELECT '` + NationalProgram + `', v.code FROM area v WHERE v.level = 'VILLAGE' AND v.is_demo AND abs(hashtext(v.code || ':nat')) % 20 = 0
		UNION ALL
		SELECT '` + PidThongProgram + `', v.code FROM area v WHERE v.level = 'VILLAGE' AND v.is_demo AND abs(hashtext(v.code || ':pt')) % 25 = 0
		ON CONFLICT DO NOTHING`},
	{"statistics", `ANALYZE area; ANALYZE village_plan; ANALYZE plan_item; ANALYZE budget_line; ANALYZE program_village;
		ANALYZE budget_total; ANALYZE budget_total_province; ANALYZE budget_total_country; ANALYZE plan_budget_total; ANALYZE plan_count; ANALYZE village_count; ANALYZE village_count_district`},
}

// generationTriggers are the triggers the national data set is generated without:
// its lines name their village themselves, and a generated data set is not news
// for subscribers.
var generationTriggers = [][2]string{
	{"budget_line", "budget_line_set_area"}, {"budget_line", "budget_line_area_check_ins"}, {"village_plan", "notify_plan_status_ins"},
}

// setGenerationTriggers runs ALTER TABLE … action (ENABLE or DISABLE) TRIGGER on
// each of the generationTriggers.
func setGenerationTriggers(ctx context.Context, tx pgx.Tx, action string) error {
	for _, t := range generationTriggers {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+t[0]+` `+action+` TRIGGER `+t[1]); err != nil {
			return err
		}
	}
	return nil
}

// LoadNational loads the national data set (see nationalSteps) in one
// transaction, on top of the demo data set, which must be loaded. Loading it again
// adds nothing.
func LoadNational(ctx context.Context, db *DB) (*NationalStats, error) {
	start := time.Now()
	stats := &NationalStats{}
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('prasan.demo')); SET LOCAL statement_timeout = 0; SET LOCAL work_mem = '256MB'; `+customPlans+`; `+noJIT); err != nil {
			return err
		}
		var measure bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM measure WHERE code = 'NBDAP-2564-M6')`).Scan(&measure); err != nil {
			return err
		}
		if !measure {
			return fmt.Errorf("the national data set builds on the demo: load it first (prasan serve --demo)")
		}
		if err := setGenerationTriggers(ctx, tx, "DISABLE"); err != nil {
			return err
		}
		for _, step := range nationalSteps {
			began := time.Now()
			if _, err := tx.Exec(ctx, step.sql); err != nil {
				return fmt.Errorf("%s: %w", step.name, err)
			}
			stats.Steps = append(stats.Steps, NationalStep{step.name, time.Since(began)})
		}
		if err := setGenerationTriggers(ctx, tx, "ENABLE"); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM area WHERE level = 'VILLAGE'), (SELECT count(*) FROM village_plan),
			(SELECT count(*) FROM plan_item), (SELECT count(*) FROM budget_line), (SELECT count(*) FROM program_village)`).
			Scan(&stats.Villages, &stats.Plans, &stats.Items, &stats.Lines, &stats.ProgramVillages)
	})
	stats.Took = time.Since(start)
	if err != nil {
		return nil, pgError(err, "load national data")
	}
	return stats, nil
}
