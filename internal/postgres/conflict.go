package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
)

// Conflict is a field of an object on which agencies assert different values.
type Conflict struct {
	Entity    string
	EntityKey string
	Field     string
	// Resolution is the resolution in force, if any.
	Resolution *Resolution
}

// Resolution is the choice of the agency whose value is shown.
type Resolution struct {
	ChosenAgency string
	Reason       string
	ResolvedBy   string
	ResolvedAt   time.Time
}

// ConflictFilter selects conflicts.
type ConflictFilter struct {
	AreaCode        *string
	Field           *string
	IncludeResolved bool
}

func conflictQuery(sc auth.Scope, f ConflictFilter) (*query, error) {
	q := newQuery().and(sc.AreaPredicate("d.entity_key"), sc.NamedArgs())
	if err := q.within("d.entity_key", f.AreaCode); err != nil {
		return nil, err
	}
	if f.Field != nil {
		q.and("d.field = @field", pgx.NamedArgs{"field": *f.Field})
	}
	if !f.IncludeResolved {
		q.and("cr.id IS NULL", nil)
	}
	return q, nil
}

// disagreements are the fields of villages with more than one value asserted.
const disagreements = `
	FROM (SELECT entity, entity_key, field FROM assertion WHERE entity = 'village'
		GROUP BY 1, 2, 3 HAVING count(DISTINCT value) > 1) d
	LEFT JOIN conflict_resolution cr ON cr.entity = d.entity AND cr.entity_key = d.entity_key AND cr.field = d.field
		AND cr.reopened_at IS NULL`

// Conflicts returns a page of the disagreements inside scope, by village and field.
func (s *IngestStore) Conflicts(ctx context.Context, sc auth.Scope, f ConflictFilter, p Page) ([]*Conflict, error) {
	q, err := conflictQuery(sc, f)
	if err != nil {
		return nil, err
	}
	if p.After != "" {
		parts, err := p.afterParts(2)
		if err != nil {
			return nil, err
		}
		q.and("(d.entity_key, d.field) > (@after_key, @after_field)", pgx.NamedArgs{"after_key": parts[0], "after_field": parts[1]})
	}
	q.args["limit"] = p.limit()
	rows, err := s.db.Pool.Query(ctx, `SELECT d.entity, d.entity_key, d.field, cr.chosen_agency, cr.reason, cr.resolved_by, cr.resolved_at`+
		disagreements+q.where()+` ORDER BY d.entity_key, d.field LIMIT @limit`, q.args)
	if err != nil {
		return nil, pgError(err, "conflicts")
	}
	var out []*Conflict
	var c Conflict
	var chosen, reason, by *string
	var at *time.Time
	_, err = pgx.ForEachRow(rows, []any{&c.Entity, &c.EntityKey, &c.Field, &chosen, &reason, &by, &at}, func() error {
		cc := c
		if chosen != nil {
			cc.Resolution = &Resolution{ChosenAgency: *chosen, Reason: *reason, ResolvedBy: *by, ResolvedAt: *at}
		}
		out = append(out, &cc)
		return nil
	})
	return out, pgError(err, "conflicts")
}

// ConflictKey is the sort key of a conflict in Conflicts.
func ConflictKey(c *Conflict) string { return Key(c.EntityKey, c.Field) }

// CountConflicts counts the disagreements inside scope.
func (s *IngestStore) CountConflicts(ctx context.Context, sc auth.Scope, f ConflictFilter) (int, error) {
	q, err := conflictQuery(sc, f)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.Pool.QueryRow(ctx, `SELECT count(*)`+disagreements+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count conflicts")
}

// ResolveVillageConflict chooses the agency whose value of a village's field is
// shown, with a reason. The caller must be allowed to write the village registry
// there; the field must be in disagreement and the agency one of its sides.
func (s *IngestStore) ResolveVillageConflict(ctx context.Context, write auth.Scope, by, code, field, agency, reason string) (*Conflict, error) {
	if write.IsNone() {
		return nil, apperr.New(apperr.Forbidden, "your role may not resolve disagreements on the village registry")
	}
	if len([]rune(reason)) < 3 {
		return nil, apperr.Invalid("input.reason", "give the reason for the choice (at least 3 characters)")
	}
	code, err := area.ParseLevelCode(code, area.LevelVillage)
	if err != nil {
		return nil, apperr.Invalid("input.villageCode", "%s", err)
	}
	var out *Conflict
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := lockVillageRegistry(ctx, tx); err != nil {
			return err
		}
		args := write.NamedArgs()
		args["code"], args["field"], args["agency"] = code, field, agency
		var writable, disputed, side bool
		err := tx.QueryRow(ctx, `SELECT `+write.AreaPredicate("@code::text")+`,
				(SELECT count(DISTINCT value) > 1 FROM assertion WHERE entity = 'village' AND entity_key = @code AND field = @field),
				EXISTS (SELECT 1 FROM assertion WHERE entity = 'village' AND entity_key = @code AND field = @field AND agency_code = @agency)`,
			args).Scan(&writable, &disputed, &side)
		switch {
		case err != nil:
			return err
		case !writable:
			return apperr.New(apperr.Forbidden, "village %s is outside the areas you may write", code)
		case !disputed:
			return apperr.Invalid("input.field", "the agencies do not disagree on %s of village %s", field, code)
		case !side:
			return apperr.Invalid("input.chosenAgencyCode", "%s asserts no %s for village %s", agency, field, code)
		}
		if _, err := tx.Exec(ctx, `UPDATE conflict_resolution SET reopened_at = now()
			WHERE entity = 'village' AND entity_key = @code AND field = @field AND reopened_at IS NULL`, args); err != nil {
			return err
		}
		args["reason"], args["by"] = reason, by
		if _, err := tx.Exec(ctx, `INSERT INTO conflict_resolution (entity, entity_key, field, chosen_agency, reason, resolved_by)
			VALUES ('village', @code, @field, @agency, @reason, @by)`, args); err != nil {
			return err
		}
		if err := showVillages(ctx, tx, `@code::text`, args); err != nil {
			return err
		}
		out = &Conflict{Entity: "village", EntityKey: code, Field: field,
			Resolution: &Resolution{ChosenAgency: agency, Reason: reason, ResolvedBy: by, ResolvedAt: time.Now()}}
		return nil
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apperr.Invalid("input.villageCode", "no village %s", code)
	}
	if err != nil {
		return nil, pgError(err, "resolve conflict")
	}
	return out, nil
}
