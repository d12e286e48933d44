package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
)

// AccessStore keeps the access policy: the role rules and the agencies' grants,
// changed only by admins, every change recorded with its reason.
type AccessStore struct{ db *DB }

// NewAccessStore returns an AccessStore on db.
func NewAccessStore(db *DB) *AccessStore { return &AccessStore{db: db} }

const (
	ruleColumns  = `role, reads, personal_data, writes, version, updated_at, updated_by, registered_only`
	grantColumns = `id, agency_code, area_codes, program_codes, personal_data, purpose, granted_at, granted_by, revoked_at, revoked_by`
)

func collectRules(rows pgx.Rows) ([]auth.RoleRule, error) {
	return pgx.CollectRows(rows, pgx.RowToStructByPos[auth.RoleRule])
}

func collectGrants(rows pgx.Rows) ([]auth.Grant, error) {
	return pgx.CollectRows(rows, pgx.RowToStructByPos[auth.Grant])
}

// Policy reads the policy in force. It is what the server applies to every caller,
// so it needs no caller itself.
func (s *AccessStore) Policy(ctx context.Context) (*auth.Policy, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+ruleColumns+` FROM role_rule`)
	rules, err := collectRules(rows)
	if err != nil {
		return nil, pgError(err, "role rules")
	}
	rows, _ = s.db.Pool.Query(ctx, `SELECT `+grantColumns+` FROM access_grant WHERE revoked_at IS NULL ORDER BY id`)
	grants, err := collectGrants(rows)
	if err != nil {
		return nil, pgError(err, "grants")
	}
	p := &auth.Policy{Rules: map[auth.Role]auth.RoleRule{}, Grants: grants}
	for _, r := range rules {
		p.Rules[r.Role] = r
	}
	return p, nil
}

func requireAdmin(p *auth.Principal) error {
	if p == nil || !p.IsAdmin() {
		return apperr.New(apperr.Forbidden, "only the admin role manages access")
	}
	return nil
}

// RoleRules lists every role's rule, for admins.
func (s *AccessStore) RoleRules(ctx context.Context, p *auth.Principal) ([]auth.RoleRule, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+ruleColumns+` FROM role_rule ORDER BY array_position(ARRAY['admin','oncb','oncb_region','moi','province','pidthong','partner','viewer'], role)`)
	rules, err := collectRules(rows)
	return rules, pgError(err, "role rules")
}

// Grants lists the grants, optionally of one agency and with revoked ones, for
// admins.
func (s *AccessStore) Grants(ctx context.Context, p *auth.Principal, agencyCode *string, withRevoked bool) ([]auth.Grant, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	q := newQuery()
	if agencyCode != nil {
		q.and("agency_code = @agency", pgx.NamedArgs{"agency": *agencyCode})
	}
	if !withRevoked {
		q.and("revoked_at IS NULL", nil)
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+grantColumns+` FROM access_grant`+q.where()+` ORDER BY id`, q.args)
	gs, err := collectGrants(rows)
	return gs, pgError(err, "grants")
}

// recordChange appends to the trail of access changes.
func recordChange(ctx context.Context, tx pgx.Tx, by, action, target string, before, after any, reason string) error {
	enc := func(v any) ([]byte, error) {
		if v == nil {
			return nil, nil
		}
		return json.Marshal(v)
	}
	b, err := enc(before)
	if err != nil {
		return err
	}
	a, err := enc(after)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO access_change (changed_by, action, target, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
		by, action, target, b, a, reason)
	return err
}

func checkReason(reason string) error {
	if len([]rune(reason)) < 3 || len(reason) > 2000 {
		return apperr.Invalid("input.reason", "give the reason for the change (3 to 2000 characters)")
	}
	return nil
}

// SetRoleRule changes what a role may do, for admins, recording the change.
func (s *AccessStore) SetRoleRule(ctx context.Context, p *auth.Principal, r auth.RoleRule, reason string) (*auth.RoleRule, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	if err := checkReason(reason); err != nil {
		return nil, err
	}
	if r.Role == auth.RoleAdmin && (r.Reads != auth.ReadsAll || len(r.Writes) < len(auth.Resources) || r.RegisteredOnly) {
		return nil, apperr.Invalid("input.role", "the admin role keeps reading and writing everything, so that access can always be repaired")
	}
	for i, w := range r.Writes {
		if !auth.ValidResource(w) {
			return nil, apperr.Invalid("input.writes["+strconv.Itoa(i)+"]", "unknown resource %q", w)
		}
	}
	var out auth.RoleRule
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+ruleColumns+` FROM role_rule WHERE role = $1 FOR UPDATE`, r.Role)
		before, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[auth.RoleRule])
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.Invalid("input.role", "unknown role %q", r.Role)
		}
		if err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `UPDATE role_rule SET reads = $2, personal_data = $3, writes = $4, registered_only = $6,
			version = version + 1, updated_at = now(), updated_by = $5 WHERE role = $1 RETURNING `+ruleColumns,
			r.Role, r.Reads, r.PersonalData, r.Writes, p.Subject, r.RegisteredOnly)
		if out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[auth.RoleRule]); err != nil {
			return err
		}
		return recordChange(ctx, tx, p.Subject, "set_role_rule", "role:"+string(r.Role), before, out, reason)
	})
	if err != nil {
		return nil, pgError(err, "set role rule")
	}
	return &out, nil
}

// GrantAccess gives an agency's callers areas, programs or personal data, for
// admins, recording the change.
func (s *AccessStore) GrantAccess(ctx context.Context, p *auth.Principal, g auth.Grant, reason string) (*auth.Grant, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	if err := checkReason(reason); err != nil {
		return nil, err
	}
	for i, c := range g.AreaCodes {
		code, err := area.ParseCode(c)
		if err != nil {
			return nil, apperr.Invalid("input.areaCodes["+strconv.Itoa(i)+"]", "%s", err)
		}
		g.AreaCodes[i] = code
	}
	if len(g.AreaCodes)+len(g.ProgramCodes) == 0 && !g.PersonalData {
		return nil, apperr.Invalid("input", "a grant gives at least one area, program or personal data")
	}
	if g.AreaCodes == nil {
		g.AreaCodes = []string{}
	}
	if g.ProgramCodes == nil {
		g.ProgramCodes = []string{}
	}
	var out auth.Grant
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		for _, c := range []struct {
			field, sql string
			codes      []string
		}{
			{"input.agencyCode", `SELECT u.c FROM unnest($1::text[]) AS u(c) WHERE NOT EXISTS (SELECT 1 FROM agency a WHERE a.code = u.c)`, []string{g.AgencyCode}},
			{"input.areaCodes", `SELECT u.c FROM unnest($1::text[]) AS u(c) WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.code = u.c)`, g.AreaCodes},
			{"input.programCodes", `SELECT u.c FROM unnest($1::text[]) AS u(c) WHERE NOT EXISTS (SELECT 1 FROM program p WHERE p.code = u.c)`, g.ProgramCodes},
		} {
			rows, _ := tx.Query(ctx, c.sql, c.codes)
			unknown, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			if len(unknown) > 0 {
				return apperr.Invalid(c.field, "unknown code %q", unknown[0])
			}
		}
		rows, _ := tx.Query(ctx, `INSERT INTO access_grant (agency_code, area_codes, program_codes, personal_data, purpose, granted_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+grantColumns,
			g.AgencyCode, g.AreaCodes, g.ProgramCodes, g.PersonalData, g.Purpose, p.Subject)
		var err error
		if out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[auth.Grant]); err != nil {
			return err
		}
		return recordChange(ctx, tx, p.Subject, "grant", "agency:"+g.AgencyCode, nil, out, reason)
	})
	if err != nil {
		return nil, pgError(err, "grant access")
	}
	return &out, nil
}

// RevokeAccess ends a grant, for admins, recording the change. The grant stays in
// the table, revoked, so the trail can show what was in force when.
func (s *AccessStore) RevokeAccess(ctx context.Context, p *auth.Principal, id int64, reason string) (*auth.Grant, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	if err := checkReason(reason); err != nil {
		return nil, err
	}
	var out auth.Grant
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+grantColumns+` FROM access_grant WHERE id = $1 FOR UPDATE`, id)
		before, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[auth.Grant])
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return apperr.Invalid("input.id", "no grant with this id")
		case err != nil:
			return err
		case !before.Active():
			return apperr.New(apperr.Conflict, "the grant was revoked already")
		}
		rows, _ = tx.Query(ctx, `UPDATE access_grant SET revoked_at = now(), revoked_by = $2 WHERE id = $1 RETURNING `+grantColumns, id, p.Subject)
		if out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[auth.Grant]); err != nil {
			return err
		}
		return recordChange(ctx, tx, p.Subject, "revoke", "grant:"+strconv.FormatInt(id, 10), before, out, reason)
	})
	if err != nil {
		return nil, pgError(err, "revoke access")
	}
	return &out, nil
}

// AccessChange is one entry of the trail of access changes.
type AccessChange struct {
	ID        int64
	ChangedAt time.Time
	ChangedBy string
	Action    string
	Target    string
	Before    *string
	After     *string
	Reason    string
}

// AccessChanges lists the trail, newest first, for admins.
func (s *AccessStore) AccessChanges(ctx context.Context, p *auth.Principal, pg Page) ([]*AccessChange, error) {
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	q := newQuery()
	if pg.After != "" {
		id, err := afterInt64(pg.After)
		if err != nil {
			return nil, err
		}
		q.and("id < @after", pgx.NamedArgs{"after": id})
	}
	q.args["limit"] = pg.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT id, changed_at, changed_by, action, target, before::text, after::text, reason
		FROM access_change`+q.where()+` ORDER BY id DESC LIMIT @limit`, q.args)
	cs, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[AccessChange])
	return cs, pgError(err, "access changes")
}

// CountAccessChanges counts the trail, for admins.
func (s *AccessStore) CountAccessChanges(ctx context.Context, p *auth.Principal) (int, error) {
	if err := requireAdmin(p); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM access_change`).Scan(&n)
	return n, pgError(err, "count access changes")
}
