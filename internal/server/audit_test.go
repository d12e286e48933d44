package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/postgres"
)

type auditRow struct {
	Kind, Phase, Outcome, Operation, Subject, Role, Variables string
}

func auditRows(t *testing.T, h *hub) []auditRow {
	t.Helper()
	rows, err := h.db.Pool.Query(t.Context(), `SELECT kind, phase, coalesce(outcome, ''), coalesce(operation_name, ''), coalesce(subject, ''),
		coalesce(role, ''), coalesce(variables::text, '') FROM audit_entry ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.Kind, &r.Phase, &r.Outcome, &r.Operation, &r.Subject, &r.Role, &r.Variables); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// Every change is recorded before it runs and with its outcome after; the queries
// of audited roles are recorded, others' are not; personal data stays out.
func TestAudit_RecordsEachKindOfCall(t *testing.T) {
	h := newHub(t, true)
	h.query(`{ village(code: "50040103") { code } }`, nil, &map[string]any{}) // an admin's query: not audited
	pidthong := h.as(h.mint(auth.TokenRequest{Subject: "pt-ops", Agency: "PIDTHONG", Roles: []auth.Role{auth.RolePidThong}, Programs: []string{"ROIJAIRAK-EXP-2564"}}))
	pidthong.query(`query Mine { villages(first: 2) { nodes { code } } }`, nil, &map[string]any{})
	send(t, pidthong, "upsertFacilitators", false, map[string]any{"sourceId": "f", "villageCode": "50040103", "fiscalYear": 2564,
		"role": "AD3", "name": "นายลับ เฉพาะ", "phone": "0811111111"})
	viewer := tokenOf(h, "v", "", auth.RoleViewer)
	viewer.fail(`mutation { undoBatch(input: {id: "SW1wb3J0QmF0Y2g6MQ"}) { valuesReverted } }`, nil)
	upload(t, h, h.mint(auth.TokenRequest{Subject: "moi", Agency: "MOI-OPS", Roles: []auth.Role{auth.RoleMOI}}), "text/csv", "?dryRun=true",
		"sourceId,code,nameTh\nx,50040150,บ้านใหม่\n")

	got := auditRows(t, h)
	want := []auditRow{
		{Kind: "query", Phase: "end", Outcome: "ok", Operation: "Mine", Subject: "pt-ops", Role: "pidthong"},
		{Kind: "mutation", Phase: "begin", Operation: "upsertFacilitators", Subject: "pt-ops", Role: "pidthong"},
		{Kind: "mutation", Phase: "end", Outcome: "ok", Operation: "upsertFacilitators", Subject: "pt-ops", Role: "pidthong"},
		{Kind: "mutation", Phase: "begin", Operation: "undoBatch", Subject: "v", Role: "viewer"},
		{Kind: "mutation", Phase: "end", Outcome: "refused", Operation: "undoBatch", Subject: "v", Role: "viewer"},
		{Kind: "upload", Phase: "begin", Operation: "village", Subject: "moi", Role: "moi"},
		{Kind: "upload", Phase: "end", Outcome: "ok", Operation: "village", Subject: "moi", Role: "moi"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g := got[i]
		g.Variables = ""
		if g != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if v := got[1].Variables; strings.Contains(v, "นายลับ") || strings.Contains(v, "0811111111") || !strings.Contains(v, "[redacted]") || !strings.Contains(v, "AD3") {
		t.Errorf("variables of the facilitator batch: %s", v)
	}
}

// The trail refuses updates, deletes and truncation in the database itself, and its
// hash chain shows an entry altered, removed or inserted out of place; pruning past
// retention keeps it verifiable.
func TestAudit_AppendOnlyAndChained(t *testing.T) {
	h := newHub(t, true)
	partner := h.as(h.mint(auth.TokenRequest{Subject: "p", Agency: "MFLF", Roles: []auth.Role{auth.RolePartner}}))
	for range 5 {
		partner.query(`{ me { role } }`, nil, &map[string]any{})
	}
	for _, sql := range []string{`UPDATE audit_entry SET subject = 'x' WHERE seq = 2`, `DELETE FROM audit_entry WHERE seq = 2`, `TRUNCATE audit_entry`} {
		if _, err := h.db.Pool.Exec(t.Context(), sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", sql, err)
		}
	}
	trail := postgres.NewAuditStore(h.db)
	verify := func() []postgres.AuditBreak {
		t.Helper()
		checked, breaks, err := trail.Verify(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if checked == 0 {
			t.Fatal("nothing checked")
		}
		return breaks
	}
	if b := verify(); len(b) != 0 {
		t.Fatalf("a fresh trail: %+v", b)
	}
	// someone with the database's keys goes around the triggers
	tamper := func(sql string) {
		t.Helper()
		if _, err := h.db.Pool.Exec(t.Context(), `ALTER TABLE audit_entry DISABLE TRIGGER USER`); err != nil {
			t.Fatal(err)
		}
		if _, err := h.db.Pool.Exec(t.Context(), sql); err != nil {
			t.Fatal(err)
		}
		if _, err := h.db.Pool.Exec(t.Context(), `ALTER TABLE audit_entry ENABLE TRIGGER USER`); err != nil {
			t.Fatal(err)
		}
	}
	tamper(`UPDATE audit_entry SET subject = 'someone else' WHERE seq = 2`)
	if b := verify(); len(b) != 1 || b[0].Seq != 2 || !strings.Contains(b[0].Reason, "altered") {
		t.Errorf("altered: %+v", b)
	}
	tamper(`DELETE FROM audit_entry WHERE seq = 4`)
	if b := verify(); len(b) != 2 || b[1].Seq != 5 || !strings.Contains(b[1].Reason, "removed") {
		t.Errorf("removed: %+v", b)
	}
	tamper(`INSERT INTO audit_entry SELECT 4, at, request_id, subject, agency_code, role, kind, phase, operation_name, query_hash, variables,
		outcome, error_codes, duration_ms, client_addr, 'forged', hash FROM audit_entry WHERE seq = 3`)
	if b := verify(); len(b) < 2 {
		t.Errorf("inserted: %+v", b)
	}
	// pruning the broken start leaves a chain that holds
	n, err := trail.Prune(t.Context(), farFuture(), "test")
	if err != nil || n != 5 {
		t.Fatalf("pruned %d: %v", n, err)
	}
	partner.query(`{ me { role } }`, nil, &map[string]any{})
	if b := verify(); len(b) != 0 {
		t.Errorf("after pruning: %+v", b)
	}
}

func farFuture() time.Time { return time.Now().Add(time.Hour) }
