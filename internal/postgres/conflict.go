package postgres

import (
	"context"
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
	// AreaCode is the area (a village, usually) the object lies in, if any.
	AreaCode *string
	Field    string
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
	Kind            *string
	AreaCode        *string
	Field           *string
	IncludeResolved bool
}

func conflictQuery(sc auth.Scope, f ConflictFilter) (*query, error) {
	q := newQuery().and(sc.AreaPredicate("d.area_code"), sc.NamedArgs())
	if err := q.within("d.area_code", f.AreaCode); err != nil {
		return nil, err
	}
	if f.Kind != nil {
		q.and("d.entity = @kind", pgx.NamedArgs{"kind": *f.Kind})
	}
	if f.Field != nil {
		q.and("d.field = @field", pgx.NamedArgs{"field": *f.Field})
	}
	if !f.IncludeResolved {
		q.and("cr.id IS NULL", nil)
	}
	return q, nil
}

// disagreements are the fields of objects with more than one value asserted, as
// the writes keep them (disagreement.go).
const disagreements = `
	FROM disagreement d
	LEFT JOIN conflict_resolution cr ON cr.entity = d.entity AND cr.entity_key = d.entity_key AND cr.field = d.field
		AND cr.reopened_at IS NULL`

// Conflicts returns a page of the disagreements inside scope, by village and field.
func (s *IngestStore) Conflicts(ctx context.Context, sc auth.Scope, f ConflictFilter, p Page) ([]*Conflict, error) {
	q, err := conflictQuery(sc, f)
	if err != nil {
		return nil, err
	}
	if p.After != "" {
		parts, err := p.afterParts(3)
		if err != nil {
			return nil, err
		}
		q.and("(d.entity, d.entity_key, d.field) > (@after_entity, @after_key, @after_field)",
			pgx.NamedArgs{"after_entity": parts[0], "after_key": parts[1], "after_field": parts[2]})
	}
	q.args["limit"] = p.limit()
	rows, err := s.db.Pool.Query(ctx, `SELECT d.entity, d.entity_key, d.area_code, d.field, cr.chosen_agency, cr.reason, cr.resolved_by, cr.resolved_at`+
		disagreements+q.where()+` ORDER BY d.entity, d.entity_key, d.field LIMIT @limit`, q.args)
	if err != nil {
		return nil, pgError(err, "conflicts")
	}
	var out []*Conflict
	var c Conflict
	var chosen, reason, by *string
	var at *time.Time
	_, err = pgx.ForEachRow(rows, []any{&c.Entity, &c.EntityKey, &c.AreaCode, &c.Field, &chosen, &reason, &by, &at}, func() error {
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
func ConflictKey(c *Conflict) string { return Key(c.Entity, c.EntityKey, c.Field) }

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

// ResolveConflict chooses the agency whose value of an object's field is shown,
// with a reason. The caller must be allowed to write that kind of record where the
// object lies; the field must be in disagreement and the agency one of its sides.
func (s *IngestStore) ResolveConflict(ctx context.Context, write auth.Scope, by, entity, key, field, agency, reason string) (*Conflict, error) {
	ks, known := kindSQLs[entity]
	if entity != "village" && !known {
		return nil, apperr.Invalid("input.kind", "no kind of record %q", entity)
	}
	if write.IsNone() {
		return nil, apperr.New(apperr.Forbidden, "your role may not resolve disagreements on %s records", entity)
	}
	if len([]rune(reason)) < 3 {
		return nil, apperr.Invalid("input.reason", "give the reason for the choice (at least 3 characters)")
	}
	if entity == "village" {
		code, err := area.ParseLevelCode(key, area.LevelVillage)
		if err != nil {
			return nil, apperr.Invalid("input.key", "%s", err)
		}
		key = code
	}
	var out *Conflict
	err := inTx(ctx, s.db, true, func(tx pgx.Tx) error {
		if err := lockKind(ctx, tx, entity); err != nil {
			return err
		}
		args := write.NamedArgs()
		args["entity"], args["key"], args["field"], args["agency"] = entity, key, field, agency
		var areaCode *string
		var writable, disputed, side bool
		err := tx.QueryRow(ctx, `SELECT x.area, coalesce(`+write.AreaPredicate("x.area")+`, false), x.disputed, x.side
			FROM (SELECT coalesce(min(area_code), CASE WHEN @entity = 'village' THEN @key::text END) AS area,
					count(DISTINCT value) > 1 AS disputed, coalesce(bool_or(agency_code = @agency), false) AS side
				FROM assertion WHERE entity = @entity AND entity_key = @key AND field = @field) x`,
			args).Scan(&areaCode, &writable, &disputed, &side)
		switch {
		case err != nil:
			return err
		case !writable:
			return apperr.New(apperr.Forbidden, "%s %s is outside the areas you may write", entity, key)
		case !disputed:
			return apperr.Invalid("input.field", "the agencies do not disagree on %s of %s %s", field, entity, key)
		case !side:
			return apperr.Invalid("input.chosenAgencyCode", "%s asserts no %s for %s %s", agency, field, entity, key)
		}
		if _, err := tx.Exec(ctx, `UPDATE conflict_resolution SET reopened_at = now()
			WHERE entity = @entity AND entity_key = @key AND field = @field AND reopened_at IS NULL`, args); err != nil {
			return err
		}
		args["reason"], args["by"] = reason, by
		if _, err := tx.Exec(ctx, `INSERT INTO conflict_resolution (entity, entity_key, field, chosen_agency, reason, resolved_by)
			VALUES (@entity, @key, @field, @agency, @reason, @by)`, args); err != nil {
			return err
		}
		if entity == "village" {
			err = showVillages(ctx, tx, `@key::text`, args)
		} else {
			args["batch"] = nil
			err = showRecords(ctx, tx, ks, `SELECT @key::text`, args)
		}
		if err != nil {
			return err
		}
		out = &Conflict{Entity: entity, EntityKey: key, AreaCode: areaCode, Field: field,
			Resolution: &Resolution{ChosenAgency: agency, Reason: reason, ResolvedBy: by, ResolvedAt: time.Now()}}
		return nil
	})
	if err != nil {
		return nil, pgError(err, "resolve conflict")
	}
	return out, nil
}
