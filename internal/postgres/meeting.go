package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/meeting"
)

// MeetingStore reads and records meetings, their agendas and action items. A caller
// limited to areas or programs sees the meetings about programs that target its
// villages, and their action items.
type MeetingStore struct{ db *DB }

// NewMeetingStore returns a MeetingStore on db.
func NewMeetingStore(db *DB) *MeetingStore { return &MeetingStore{db: db} }

const (
	meetingColumns = `m.id, m.title, m.held_at, m.chair_name, m.chair_position, m.chair_agency_code, m.format,
	m.venue, m.program_code, m.summary`
	actionItemColumns = `ai.id, ai.meeting_id, ai.position, ai.title, ai.owner_agency_code, ai.due_on, ai.status, ai.updated_at`
)

// meetingScope is the condition that keeps the meetings (alias m) a scope may see:
// all for an unlimited scope; otherwise those about a program that targets a
// village inside the scope.
func meetingScope(sc auth.Scope) (string, pgx.NamedArgs) {
	if sc.IsAll() {
		return "TRUE", nil
	}
	return `(m.program_code IS NOT NULL AND EXISTS (SELECT 1 FROM program_village mpv WHERE mpv.program_code = m.program_code AND ` +
		sc.AreaPredicate("mpv.village_code") + `))`, sc.NamedArgs()
}

// visibleMeeting is the condition that the meeting of column col is visible to sc.
func visibleMeeting(sc auth.Scope, col string) (string, pgx.NamedArgs) {
	cond, args := meetingScope(sc)
	return "EXISTS (SELECT 1 FROM meeting m WHERE m.id = " + col + " AND " + cond + ")", args
}

func collectMeetings(rows pgx.Rows) ([]*meeting.Meeting, error) {
	return pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[meeting.Meeting])
}

func collectActionItems(rows pgx.Rows) ([]*meeting.ActionItem, error) {
	return pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[meeting.ActionItem])
}

// MeetingsByID returns the meetings with the given ids.
func (s *MeetingStore) MeetingsByID(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]*meeting.Meeting, error) {
	q := newQuery().and("m.id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(meetingScope(sc))
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+meetingColumns+` FROM meeting m`+q.where(), q.args)
	ms, err := collectMeetings(rows)
	return byKey(ms, err, "meetings by id", func(m *meeting.Meeting) int64 { return m.ID })
}

func meetingQuery(sc auth.Scope, f meeting.Filter) *query {
	q := newQuery().and(meetingScope(sc))
	if f.ProgramCode != nil {
		q.and("m.program_code = @program", pgx.NamedArgs{"program": *f.ProgramCode})
	}
	if f.AgencyCode != nil {
		q.and("(m.chair_agency_code = @agency OR EXISTS (SELECT 1 FROM meeting_agency ma WHERE ma.meeting_id = m.id AND ma.agency_code = @agency))",
			pgx.NamedArgs{"agency": *f.AgencyCode})
	}
	if f.From != nil {
		q.and("m.held_at >= @from::date::timestamp AT TIME ZONE 'Asia/Bangkok'", pgx.NamedArgs{"from": *f.From})
	}
	if f.To != nil {
		q.and("m.held_at < (@to::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok'", pgx.NamedArgs{"to": *f.To})
	}
	return q
}

// Meetings returns a page of the meetings matching f, newest first. The sort key of
// a meeting is MeetingKey.
func (s *MeetingStore) Meetings(ctx context.Context, sc auth.Scope, f meeting.Filter, p Page) ([]*meeting.Meeting, error) {
	q := meetingQuery(sc, f)
	if p.After != "" {
		parts, err := p.afterParts(2)
		if err != nil {
			return nil, err
		}
		at, err1 := time.Parse(time.RFC3339Nano, parts[0])
		id, err2 := afterInt64(parts[1])
		if err1 != nil || err2 != nil {
			return nil, badCursor()
		}
		q.and("(m.held_at, m.id) < (@after_at, @after_id)", pgx.NamedArgs{"after_at": at, "after_id": id})
	}
	q.args["limit"] = p.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+meetingColumns+` FROM meeting m`+q.where()+` ORDER BY m.held_at DESC, m.id DESC LIMIT @limit`, q.args)
	ms, err := collectMeetings(rows)
	return ms, pgError(err, "meetings")
}

// MeetingKey is the sort key of a meeting in Meetings.
func MeetingKey(m *meeting.Meeting) string {
	return Key(m.HeldAt.UTC().Format(time.RFC3339Nano), strconv.FormatInt(m.ID, 10))
}

// CountMeetings counts the meetings matching f.
func (s *MeetingStore) CountMeetings(ctx context.Context, sc auth.Scope, f meeting.Filter) (int, error) {
	q := meetingQuery(sc, f)
	var n int
	err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM meeting m`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count meetings")
}

// AgendaByMeeting returns the agenda items of the given meetings, in order.
func (s *MeetingStore) AgendaByMeeting(ctx context.Context, sc auth.Scope, ids []int64) (map[int64][]*meeting.AgendaItem, error) {
	q := newQuery().and("meeting_id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(visibleMeeting(sc, "agenda_item.meeting_id"))
	rows, _ := s.db.Pool.Query(ctx, `SELECT meeting_id, position, title, summary FROM agenda_item`+q.where()+` ORDER BY meeting_id, position`, q.args)
	as, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[meeting.AgendaItem])
	return groupRows(as, err, "agenda by meeting", func(a *meeting.AgendaItem) int64 { return a.MeetingID })
}

// AgencyCodesByMeeting returns the codes of the agencies present at the given
// meetings, by code.
func (s *MeetingStore) AgencyCodesByMeeting(ctx context.Context, sc auth.Scope, ids []int64) (map[int64][]string, error) {
	q := newQuery().and("meeting_id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(visibleMeeting(sc, "meeting_agency.meeting_id"))
	rows, err := s.db.Pool.Query(ctx, `SELECT meeting_id, agency_code FROM meeting_agency`+q.where()+` ORDER BY meeting_id, agency_code`, q.args)
	if err != nil {
		return nil, pgError(err, "agencies by meeting")
	}
	out := map[int64][]string{}
	var id int64
	var code string
	_, err = pgx.ForEachRow(rows, []any{&id, &code}, func() error { out[id] = append(out[id], code); return nil })
	return out, pgError(err, "agencies by meeting")
}

// ActionItemsByMeeting returns the action items of the given meetings, in order.
func (s *MeetingStore) ActionItemsByMeeting(ctx context.Context, sc auth.Scope, ids []int64) (map[int64][]*meeting.ActionItem, error) {
	q := newQuery().and("ai.meeting_id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(visibleMeeting(sc, "ai.meeting_id"))
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+actionItemColumns+` FROM action_item ai`+q.where()+` ORDER BY ai.meeting_id, ai.position`, q.args)
	as, err := collectActionItems(rows)
	return groupRows(as, err, "action items by meeting", func(a *meeting.ActionItem) int64 { return a.MeetingID })
}

// ActionItemsByID returns the action items with the given ids.
func (s *MeetingStore) ActionItemsByID(ctx context.Context, sc auth.Scope, ids []int64) (map[int64]*meeting.ActionItem, error) {
	q := newQuery().and("ai.id = ANY(@ids)", pgx.NamedArgs{"ids": ids}).and(visibleMeeting(sc, "ai.meeting_id"))
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+actionItemColumns+` FROM action_item ai`+q.where(), q.args)
	as, err := collectActionItems(rows)
	return byKey(as, err, "action items by id", func(a *meeting.ActionItem) int64 { return a.ID })
}

func actionItemQuery(sc auth.Scope, f meeting.ActionItemFilter, today time.Time) *query {
	q := newQuery().and(visibleMeeting(sc, "ai.meeting_id"))
	if f.Status != nil {
		q.and("ai.status = @status", pgx.NamedArgs{"status": string(*f.Status)})
	}
	if f.OwnerAgencyCode != nil {
		q.and("ai.owner_agency_code = @owner", pgx.NamedArgs{"owner": *f.OwnerAgencyCode})
	}
	if f.ProgramCode != nil {
		q.and("EXISTS (SELECT 1 FROM meeting m WHERE m.id = ai.meeting_id AND m.program_code = @program)", pgx.NamedArgs{"program": *f.ProgramCode})
	}
	if f.DueBefore != nil {
		q.and("ai.due_on <= @due_before", pgx.NamedArgs{"due_before": *f.DueBefore})
	}
	if f.Overdue != nil {
		overdue := "(ai.due_on < @today AND ai.status NOT IN ('DONE', 'CANCELLED'))"
		if !*f.Overdue {
			overdue = overdue + " IS NOT TRUE"
		}
		q.and(overdue, pgx.NamedArgs{"today": today})
	}
	return q
}

// ActionItems returns a page of the action items matching f, earliest due date
// first, undated last. today decides what is overdue. The sort key is ActionItemKey.
func (s *MeetingStore) ActionItems(ctx context.Context, sc auth.Scope, f meeting.ActionItemFilter, today time.Time, p Page) ([]*meeting.ActionItem, error) {
	q := actionItemQuery(sc, f, today)
	if p.After != "" {
		parts, err := p.afterParts(2)
		if err != nil {
			return nil, err
		}
		id, err := afterInt64(parts[1])
		if err != nil {
			return nil, err
		}
		// undated items sort last: 9999-12-31 stands for "no date"
		due, err := time.Parse(time.DateOnly, parts[0])
		if err != nil {
			return nil, badCursor()
		}
		q.and("(COALESCE(ai.due_on, '9999-12-31'), ai.id) > (@after_due, @after_id)", pgx.NamedArgs{"after_due": due, "after_id": id})
	}
	q.args["limit"] = p.limit()
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+actionItemColumns+` FROM action_item ai`+q.where()+
		` ORDER BY COALESCE(ai.due_on, '9999-12-31'), ai.id LIMIT @limit`, q.args)
	as, err := collectActionItems(rows)
	return as, pgError(err, "action items")
}

// ActionItemKey is the sort key of an action item in ActionItems.
func ActionItemKey(a *meeting.ActionItem) string {
	due := "9999-12-31"
	if a.DueOn != nil {
		due = a.DueOn.Format(time.DateOnly)
	}
	return Key(due, strconv.FormatInt(a.ID, 10))
}

// CountActionItems counts the action items matching f.
func (s *MeetingStore) CountActionItems(ctx context.Context, sc auth.Scope, f meeting.ActionItemFilter, today time.Time) (int, error) {
	q := actionItemQuery(sc, f, today)
	var n int
	err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM action_item ai`+q.where(), q.args).Scan(&n)
	return n, pgError(err, "count action items")
}

// RecordMeeting stores a meeting with its agencies, agenda and action items in one
// transaction, and returns the stored meeting. Unknown agency or program codes are
// BAD_USER_INPUT naming the field; nothing is written then.
//
// A caller whose write scope is limited to areas may record only meetings about a
// program that targets villages inside its areas.
func (s *MeetingStore) RecordMeeting(ctx context.Context, write auth.Scope, r meeting.Record) (*meeting.Meeting, error) {
	if write.IsNone() {
		return nil, apperr.New(apperr.Forbidden, "your role may not record meetings")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out *meeting.Meeting
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := checkCodes(ctx, tx, r); err != nil {
			return err
		}
		if !write.IsAll() {
			if r.ProgramCode == nil {
				return apperr.New(apperr.Forbidden, "name the program the meeting is about: your role records meetings only about programs in your areas")
			}
			if ok, err := programInScope(ctx, tx, write, *r.ProgramCode); err != nil || !ok {
				if err != nil {
					return err
				}
				return apperr.New(apperr.Forbidden, "program %s targets no village in your areas", *r.ProgramCode)
			}
		}
		var err error
		out, err = recordMeeting(ctx, tx, r)
		return err
	})
	if err != nil {
		return nil, pgError(err, "record meeting")
	}
	return out, nil
}

// recordMeeting inserts a meeting with its agencies, agenda and action items.
func recordMeeting(ctx context.Context, tx pgx.Tx, r meeting.Record) (*meeting.Meeting, error) {
	m := r.Meeting
	rows, _ := tx.Query(ctx, `INSERT INTO meeting AS m (title, held_at, chair_name, chair_position, chair_agency_code, format, venue, program_code, summary)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING `+meetingColumns,
		m.Title, m.HeldAt, m.ChairName, m.ChairPosition, m.ChairAgencyCode, m.Format, m.Venue, m.ProgramCode, m.Summary)
	out, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[meeting.Meeting])
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO meeting_agency (meeting_id, agency_code) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`,
		out.ID, r.AgencyCodes); err != nil {
		return nil, err
	}
	agenda := make([][]any, len(r.AgendaItems))
	for i, a := range r.AgendaItems {
		agenda[i] = []any{out.ID, int16(i + 1), a.Title, a.Summary}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"agenda_item"}, []string{"meeting_id", "position", "title", "summary"}, pgx.CopyFromRows(agenda)); err != nil {
		return nil, err
	}
	actions := make([][]any, len(r.ActionItems))
	for i, a := range r.ActionItems {
		status := a.Status
		if status == "" {
			status = meeting.StatusOpen
		}
		actions[i] = []any{out.ID, int16(i + 1), a.Title, a.OwnerAgencyCode, a.DueOn, string(status)}
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"action_item"}, []string{"meeting_id", "position", "title", "owner_agency_code", "due_on", "status"}, pgx.CopyFromRows(actions))
	return out, err
}

// checkCodes names the first unknown agency or program code of a meeting record.
func checkCodes(ctx context.Context, tx pgx.Tx, r meeting.Record) error {
	type ref struct {
		field string
		code  *string
	}
	refs := []ref{{"input.chairAgencyCode", r.ChairAgencyCode}}
	for i := range r.AgencyCodes {
		refs = append(refs, ref{"input.agencyCodes[" + strconv.Itoa(i) + "]", &r.AgencyCodes[i]})
	}
	for i := range r.ActionItems {
		refs = append(refs, ref{"input.actionItems[" + strconv.Itoa(i) + "].ownerAgencyCode", r.ActionItems[i].OwnerAgencyCode})
	}
	var codes []string
	for _, rf := range refs {
		if rf.code != nil {
			codes = append(codes, *rf.code)
		}
	}
	known := map[string]bool{}
	rows, _ := tx.Query(ctx, `SELECT code FROM agency WHERE code = ANY($1)`, codes)
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, c := range found {
		known[c] = true
	}
	for _, rf := range refs {
		if rf.code != nil && !known[*rf.code] {
			return apperr.Invalid(rf.field, "no agency with code %q", *rf.code)
		}
	}
	if r.ProgramCode != nil {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM program WHERE code = $1)`, *r.ProgramCode).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return apperr.Invalid("input.programCode", "no program with code %q", *r.ProgramCode)
		}
	}
	return nil
}

// programInScope reports whether a program targets a village inside scope.
func programInScope(ctx context.Context, tx pgx.Tx, sc auth.Scope, code string) (bool, error) {
	args := sc.NamedArgs()
	args["program"] = code
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM program_village pv WHERE pv.program_code = @program AND `+
		sc.AreaPredicate("pv.village_code")+`)`, args).Scan(&ok)
	return ok, err
}

// SetActionItemStatus changes an action item's status and returns the item. A
// caller whose write scope is limited to areas may change the items its own agency
// owns, and those of meetings about a program in its areas.
func (s *MeetingStore) SetActionItemStatus(ctx context.Context, write auth.Scope, agency string, id int64, status meeting.Status) (*meeting.ActionItem, error) {
	if write.IsNone() {
		return nil, apperr.New(apperr.Forbidden, "your role may not change action items")
	}
	var out *meeting.ActionItem
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT `+actionItemColumns+` FROM action_item ai WHERE ai.id = $1 FOR UPDATE`, id)
		a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[meeting.ActionItem])
		if err != nil {
			return err
		}
		if !write.IsAll() && (a.OwnerAgencyCode == nil || *a.OwnerAgencyCode != agency) {
			var program *string
			if err := tx.QueryRow(ctx, `SELECT program_code FROM meeting WHERE id = $1`, a.MeetingID).Scan(&program); err != nil {
				return err
			}
			ok := false
			if program != nil {
				if ok, err = programInScope(ctx, tx, write, *program); err != nil {
					return err
				}
			}
			if !ok {
				return apperr.New(apperr.Forbidden, "you may not change this action item: neither your agency's nor of a program in your areas")
			}
		}
		rows, _ = tx.Query(ctx, `UPDATE action_item AS ai SET status = $2, updated_at = now() WHERE ai.id = $1 RETURNING `+actionItemColumns, id, string(status))
		out, err = pgx.CollectExactlyOneRow(rows, pgx.RowToAddrOfStructByPos[meeting.ActionItem])
		return err
	})
	return out, pgError(err, "action item")
}
