package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
)

func hashOf(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

// persisted sends a query by its hash (and the text too, when given), as Apollo
// clients do.
func persisted(t *testing.T, h *hub, hash, query string) response {
	t.Helper()
	r, _ := h.doWith(t.Context(), map[string]any{"query": query,
		"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}})
	return r
}

// Automatic persisted queries: a hash the hub does not know asks for the text; sent
// once with it, the hash alone runs it; an operation an admin registered runs by
// its hash without ever being sent.
func TestPersistedQueries(t *testing.T) {
	h := newHub(t, true)
	const q = `{ me { role } }`
	if r := persisted(t, h, hashOf(q), ""); len(r.Errors) != 1 || r.Errors[0].Message != "PersistedQueryNotFound" {
		t.Fatalf("unknown hash: %+v", r.Errors)
	}
	if r := persisted(t, h, hashOf(q), q); len(r.Errors) > 0 || !strings.Contains(string(r.Data), "ADMIN") {
		t.Errorf("with its text: %s %+v", r.Data, r.Errors)
	}
	if r := persisted(t, h, hashOf(q), ""); len(r.Errors) > 0 {
		t.Errorf("by its hash after: %+v", r.Errors)
	}
	if r := persisted(t, h, hashOf("{ x }"), q); r.code() != "PERSISTED_QUERY_INVALID" || !strings.Contains(r.Errors[0].Message, "does not match") {
		t.Errorf("a wrong hash: %+v", r.Errors)
	}
	const registered = `query Feeds { feeds { kind } }`
	h.query(`mutation($q: String!) { registerOperation(input: {name: "feeds", query: $q, reason: "dashboard"}) { operation { sha256 } } }`,
		map[string]any{"q": registered}, &map[string]any{})
	if r := persisted(t, h, hashOf(registered), ""); len(r.Errors) > 0 {
		t.Errorf("a registered operation by its hash: %+v", r.Errors)
	}
}

// A role in allow-list mode runs only registered operations, whether it sends the
// text or the hash; sending a text with its hash does not register it.
func TestAllowListMode(t *testing.T) {
	h := newHub(t, true)
	const pull = `query Pull { villages(first: 5) { nodes { code } } }`
	h.query(`mutation($q: String!) { registerOperation(input: {name: "partner pull", query: $q, reason: "MFLF's nightly pull"}) { operation { sha256 } } }`,
		map[string]any{"q": pull}, &map[string]any{})
	h.query(`mutation { setRoleRule(input: {role: PARTNER, reads: GRANTED, personalData: false, writes: [OWN_BUDGET], registeredOnly: true, reason: "partner systems run registered operations"}) { roleRule { registeredOnly } } }`, nil, &map[string]any{})
	h.query(`mutation { grantAccess(input: {agencyCode: "MFLF", areaCodes: ["50"], reason: "allow-list test"}) { grant { id } } }`, nil, &map[string]any{})
	partner := h.as(h.mint(auth.TokenRequest{Subject: "mflf-system", Agency: "MFLF", Roles: []auth.Role{auth.RolePartner}}))
	r, statements := partner.do(t.Context(), `{ villages(first: 5) { nodes { code nameTh } } }`, nil)
	// (the statements are the look-up of the registration and the audit entry; nothing of the operation runs)
	if r.code() != "OPERATION_NOT_REGISTERED" || statements > 2 || !strings.Contains(r.Errors[0].Message, "registerOperation") {
		t.Errorf("an unregistered operation: %d statements, %+v", statements, r.Errors)
	}
	if r := persisted(t, partner, hashOf(`{ me { role } }`), `{ me { role } }`); r.code() != "OPERATION_NOT_REGISTERED" {
		t.Errorf("an unregistered operation sent as a persisted query: %+v", r.Errors)
	}
	if r := persisted(t, partner, hashOf(`{ me { role } }`), ""); r.code() != "OPERATION_NOT_REGISTERED" {
		t.Errorf("then by its hash: %+v", r.Errors)
	}
	if r, _ := partner.do(t.Context(), pull, nil); len(r.Errors) > 0 || !strings.Contains(string(r.Data), "50") {
		t.Errorf("the registered operation's text: %s %+v", r.Data, r.Errors)
	}
	if r := persisted(t, partner, hashOf(pull), ""); len(r.Errors) > 0 {
		t.Errorf("the registered operation by hash: %+v", r.Errors)
	}
	// the refusals are in the audit trail, like the partner's other calls
	if n := h.count(`SELECT count(*) FROM audit_entry WHERE subject = 'mflf-system' AND outcome = 'refused' AND 'OPERATION_NOT_REGISTERED' = ANY(error_codes)`); n != 3 {
		t.Errorf("%d refusals audited, want 3", n)
	}
	// other roles are not in allow-list mode
	if r, _ := h.do(t.Context(), `{ villages(first: 1) { nodes { code } } }`, nil); len(r.Errors) > 0 {
		t.Errorf("an admin: %+v", r.Errors)
	}
	if r := h.fail(`mutation { setRoleRule(input: {role: ADMIN, reads: ALL, personalData: true, writes: [PLAN, MEETING, VILLAGE, BUDGET, OWN_BUDGET, FACILITATOR, ACTIVITY], registeredOnly: true, reason: "lock out"}) { roleRule { role } } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Errorf("admin in allow-list mode: %+v", r.Errors)
	}
}
