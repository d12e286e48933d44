package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/demo"
	"github.com/shopspring/decimal"
)

// LoadDemo loads the demo dataset in one transaction, unless this version of it is
// loaded already; it reports whether it loaded. Loading again after the dataset
// changed replaces the demo's own rows and leaves everything else alone.
func LoadDemo(ctx context.Context, db *DB, d *demo.Dataset) (bool, error) {
	version := d.Version()
	loaded := false
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('prasan.demo'))`); err != nil {
			return err
		}
		var have string
		err := tx.QueryRow(ctx, `SELECT sha256 FROM reference_data WHERE name = 'demo'`).Scan(&have)
		if err == nil && have == version {
			return nil
		}
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := loadDemo(ctx, tx, d); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO reference_data (name, sha256, row_count) VALUES ('demo', $1, $2)
			ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, row_count = EXCLUDED.row_count, loaded_at = now()`,
			version, len(d.Villages))
		loaded = true
		return err
	})
	return loaded, pgError(err, "load demo")
}

func loadDemo(ctx context.Context, tx pgx.Tx, d *demo.Dataset) error {
	b := &pgx.Batch{}
	for _, a := range d.Agencies {
		b.Queue(`INSERT INTO agency (code, name_th, name_en, kind, parent_code) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind, parent_code = EXCLUDED.parent_code`,
			a.Code, a.NameTh, a.NameEn, a.Kind, a.ParentCode)
		b.Queue(`DELETE FROM agency_area WHERE agency_code = $1`, a.Code)
		b.Queue(`INSERT INTO agency_area (agency_code, area_code) SELECT $1, unnest($2::text[])`, a.Code, a.AreaCodes)
	}
	ap, m, p := d.ActionPlan, d.Measure, d.Program
	b.Queue(`INSERT INTO action_plan (code, name_th, name_en, fiscal_year) VALUES ($1, $2, $3, $4)
		ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, fiscal_year = EXCLUDED.fiscal_year`,
		ap.Code, ap.NameTh, ap.NameEn, ap.FiscalYear)
	b.Queue(`INSERT INTO measure (code, action_plan_code, number, name_th, name_en, committee) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (code) DO UPDATE SET action_plan_code = EXCLUDED.action_plan_code, number = EXCLUDED.number,
			name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, committee = EXCLUDED.committee`,
		m.Code, m.ActionPlanCode, m.Number, m.NameTh, m.NameEn, m.Committee)
	b.Queue(`INSERT INTO program (code, measure_code, name_th, name_en, description, fiscal_year_from, fiscal_year_to) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (code) DO UPDATE SET measure_code = EXCLUDED.measure_code, name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en,
			description = EXCLUDED.description, fiscal_year_from = EXCLUDED.fiscal_year_from, fiscal_year_to = EXCLUDED.fiscal_year_to`,
		p.Code, p.MeasureCode, p.NameTh, p.NameEn, p.Description, p.FiscalYearFrom, p.FiscalYearTo)
	for _, fs := range d.FeedSchedules {
		b.Queue(`INSERT INTO feed_schedule (agency_code, kind, expected_every) VALUES ($1, $2, make_interval(secs => $3))
			ON CONFLICT (agency_code, kind) DO UPDATE SET expected_every = EXCLUDED.expected_every`, fs.AgencyCode, fs.Kind, fs.Every.Seconds())
	}
	b.Queue(`DELETE FROM program_agency WHERE program_code = $1`, p.Code)
	for _, pa := range d.Participants {
		b.Queue(`INSERT INTO program_agency (program_code, agency_code, role) VALUES ($1, $2, $3)`, pa.ProgramCode, pa.AgencyCode, pa.Role)
	}
	// The demo's own rows are replaced whole: its budget lines, plans (with their
	// items, facilitators and lines, by cascade), target villages and meeting.
	b.Queue(`DELETE FROM budget_line WHERE is_demo`)
	b.Queue(`DELETE FROM village_plan WHERE is_demo`)
	b.Queue(`DELETE FROM program_village WHERE program_code = $1`, p.Code)
	b.Queue(`DELETE FROM meeting WHERE title = $1 AND held_at = $2`, d.Meeting.Title, d.Meeting.HeldAt)
	for _, v := range d.Villages {
		b.Queue(`INSERT INTO area (code, parent_code, moo, name_th, name_en, households, population, is_demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (code) DO UPDATE SET moo = EXCLUDED.moo, name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en,
				households = EXCLUDED.households, population = EXCLUDED.population, is_demo = EXCLUDED.is_demo, updated_at = now()
			WHERE area.is_demo -- a village an agency has since sent keeps the agency's values`,
			v.Code, v.SubdistrictCode, v.Moo, v.NameTh, v.NameEn, v.Households, v.Population, v.IsDemo)
		b.Queue(`INSERT INTO program_village (program_code, village_code) VALUES ($1, $2)`, p.Code, v.Code)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	for _, vp := range d.Plans {
		var planID int64
		err := tx.QueryRow(ctx, `INSERT INTO village_plan (village_code, fiscal_year, status, scheduled_start, scheduled_end, completed_on, participation_rate, is_demo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			vp.VillageCode, vp.FiscalYear, vp.Status, vp.ScheduledStart, vp.ScheduledEnd, vp.CompletedOn, vp.ParticipationRate, vp.IsDemo).Scan(&planID)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, f := range vp.Facilitators {
			b.Queue(`INSERT INTO facilitator (village_plan_id, role, name, phone, agency_code, is_demo) VALUES ($1, $2, $3, $4, $5, $6)`,
				planID, f.Role, f.Name, f.Phone, f.AgencyCode, f.IsDemo)
		}
		for _, it := range vp.Items {
			b.Queue(`WITH item AS (
					INSERT INTO plan_item (village_plan_id, position, title, category, responsible_agency_code, is_demo)
					VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
				INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, plan_item_id, description, is_demo)
				SELECT l.fiscal_year, l.amount, l.source, l.status, l.agency_code, item.id, l.description, l.is_demo
				FROM item, jsonb_to_recordset($7) AS l(fiscal_year int, amount numeric, source text, status text, agency_code text, description text, is_demo bool)`,
				planID, it.Position, it.Title, it.Category, it.ResponsibleAgencyCode, it.IsDemo, linesJSON(it.Lines))
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
	}
	for _, l := range d.ProgramLines {
		if _, err := tx.Exec(ctx, `INSERT INTO budget_line (fiscal_year, amount, source, status, agency_code, program_code, area_code, description, is_demo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			l.FiscalYear, l.Amount, l.Source, l.Status, l.AgencyCode, l.ProgramCode, l.AreaCode, l.Description, l.IsDemo); err != nil {
			return err
		}
	}
	_, err := recordMeeting(ctx, tx, d.Meeting)
	return err
}

// linesJSON encodes budget lines as the JSON records the item insert reads.
func linesJSON(lines []budget.Line) []byte {
	type rec struct {
		FiscalYear  int             `json:"fiscal_year"`
		Amount      decimal.Decimal `json:"amount"`
		Source      budget.Source   `json:"source"`
		Status      budget.Status   `json:"status"`
		AgencyCode  string          `json:"agency_code"`
		Description *string         `json:"description"`
		IsDemo      bool            `json:"is_demo"`
	}
	recs := make([]rec, len(lines))
	for i, l := range lines {
		recs[i] = rec{l.FiscalYear, l.Amount, l.Source, l.Status, l.AgencyCode, l.Description, l.IsDemo}
	}
	b, _ := json.Marshal(recs) // plain data always encodes
	return b
}
