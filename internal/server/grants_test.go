package server_test

import (
	"strings"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
)

const grantAccess = `mutation($in: GrantAccessInput!) { grantAccess(input: $in) { grant { id active areaCodes purpose agency { code } } } }`

func villageCount(t *testing.T, h *hub) int {
	t.Helper()
	var got struct{ Villages struct{ TotalCount int } }
	h.query(`{ villages { totalCount } }`, nil, &got)
	return got.Villages.TotalCount
}

// Grants are data: an admin grants an agency more areas through the API, the
// agency's callers see them at once, a purpose-bound grant applies only to requests
// stating the purpose, and revoking takes them away. Every change is in the trail.
func TestGrants_ChangeWhatAnAgencySees(t *testing.T) {
	h := newHub(t, true)
	partner := h.as(h.mint(auth.TokenRequest{Subject: "cdd-user", Agency: "CDD", Roles: []auth.Role{auth.RolePartner}, Areas: []string{"57"}}))
	if n := villageCount(t, partner); n != 17 {
		t.Fatalf("partner sees %d villages before any grant, want 17 (its token's Chiang Rai)", n)
	}
	var g struct {
		GrantAccess struct{ Grant struct{ ID string } }
	}
	h.query(grantAccess, map[string]any{"in": map[string]any{"agencyCode": "CDD", "areaCodes": []string{"๕๘"}, "reason": "CDD works in Mae Hong Son too"}}, &g)
	if n := villageCount(t, partner); n != 22 {
		t.Errorf("after granting Mae Hong Son: %d villages, want 22", n)
	}
	h.query(grantAccess, map[string]any{"in": map[string]any{"agencyCode": "CDD", "areaCodes": []string{"50"}, "purpose": "drug-prevention-plan", "reason": "prevention plans only"}}, &struct{}{})
	if n := villageCount(t, partner); n != 22 {
		t.Errorf("a purpose-bound grant applied without the purpose: %d villages", n)
	}
	if n := villageCount(t, partner.with("X-Prasan-Purpose", "drug-prevention-plan")); n != 42 {
		t.Errorf("with the purpose: %d villages, want 42", n)
	}
	h.query(`mutation($id: ID!) { revokeAccess(input: {id: $id, reason: "project ended"}) { grant { active revokedBy } } }`, map[string]any{"id": g.GrantAccess.Grant.ID}, &struct{}{})
	if n := villageCount(t, partner); n != 17 {
		t.Errorf("after revoking: %d villages, want 17", n)
	}
	var trail struct {
		AccessChanges struct {
			TotalCount int
			Nodes      []struct{ Action, Target, ChangedBy, Reason string }
		}
	}
	h.query(`{ accessChanges { totalCount nodes { action target changedBy reason } } }`, nil, &trail)
	if trail.AccessChanges.TotalCount != 3 || trail.AccessChanges.Nodes[0].Action != "revoke" || trail.AccessChanges.Nodes[0].Reason != "project ended" ||
		trail.AccessChanges.Nodes[2].ChangedBy != "test-admin" {
		t.Errorf("trail = %+v", trail.AccessChanges)
	}
	if _, err := h.db.Pool.Exec(t.Context(), `UPDATE access_change SET reason = 'nothing happened'`); err == nil {
		t.Error("the trail accepted an UPDATE")
	}
	if _, err := h.db.Pool.Exec(t.Context(), `DELETE FROM access_change`); err == nil {
		t.Error("the trail accepted a DELETE")
	}
}

// Role rules are data too: letting viewers see personal data takes effect at once.
func TestGrants_RoleRule(t *testing.T) {
	h := newHub(t, true)
	viewer := h.as(h.mint(auth.TokenRequest{Subject: "v", Roles: []auth.Role{auth.RoleViewer}}))
	const q = `{ meetings { nodes { chairName } } }`
	if r, _ := viewer.do(t.Context(), q, nil); r.code() != "FORBIDDEN" {
		t.Fatalf("viewer sees personal data before the change: %+v", r.Errors)
	}
	var got struct {
		SetRoleRule struct {
			RoleRule struct {
				Version      int
				PersonalData bool
			}
		}
	}
	h.query(`mutation { setRoleRule(input: {role: VIEWER, reads: ALL, personalData: true, writes: [], reason: "the oversight board reads minutes in full"}) {
		roleRule { version personalData } } }`, nil, &got)
	if got.SetRoleRule.RoleRule.Version != 2 || !got.SetRoleRule.RoleRule.PersonalData {
		t.Errorf("rule = %+v", got.SetRoleRule.RoleRule)
	}
	if r, _ := viewer.do(t.Context(), q, nil); len(r.Errors) > 0 || !strings.Contains(string(r.Data), "ไกรเลิศ") {
		t.Errorf("viewer after the change: %s %+v", r.Data, r.Errors)
	}
	r := h.fail(`mutation { setRoleRule(input: {role: ADMIN, reads: GRANTED, personalData: true, writes: [], reason: "oops"}) { roleRule { version } } }`, nil)
	if r.code() != "BAD_USER_INPUT" {
		t.Errorf("narrowing admin: %+v", r.Errors)
	}
}

// Only admins read or change the policy; a refused change writes nothing.
func TestGrants_AdminOnly(t *testing.T) {
	h := newHub(t, true)
	for _, role := range []auth.Role{auth.RoleONCB, auth.RoleMOI, auth.RoleViewer, auth.RolePartner} {
		other := h.as(h.mint(auth.TokenRequest{Subject: "x", Agency: "CDD", Roles: []auth.Role{role}, Areas: []string{"57"}}))
		for _, q := range []string{`{ accessPolicy { roleRules { role } } }`, `{ accessChanges { totalCount } }`,
			`mutation { grantAccess(input: {agencyCode: "CDD", areaCodes: ["10"], reason: "self-service"}) { grant { id } } }`,
			`mutation { setRoleRule(input: {role: PARTNER, reads: ALL, personalData: true, writes: [PLAN], reason: "self-service"}) { roleRule { version } } }`} {
			if r := other.fail(q, nil); r.code() != "FORBIDDEN" {
				t.Errorf("%s: %s got %+v", role, q, r.Errors)
			}
		}
	}
	if n := h.count(`SELECT (SELECT count(*) FROM access_grant) + (SELECT count(*) FROM access_change) + (SELECT max(version) FROM role_rule)`); n != 1 {
		t.Errorf("refused changes wrote something (%d)", n)
	}
	for name, in := range map[string]map[string]any{
		"unknown agency": {"agencyCode": "NOPE", "areaCodes": []string{"57"}, "reason": "test"},
		"unknown area":   {"agencyCode": "CDD", "areaCodes": []string{"99"}, "reason": "test"},
		"bad area":       {"agencyCode": "CDD", "areaCodes": []string{"5x"}, "reason": "test"},
		"empty grant":    {"agencyCode": "CDD", "reason": "test"},
		"no reason":      {"agencyCode": "CDD", "areaCodes": []string{"57"}, "reason": " "},
		"bad purpose":    {"agencyCode": "CDD", "areaCodes": []string{"57"}, "purpose": "Drug Prevention!", "reason": "test"},
	} {
		if r := h.fail(grantAccess, map[string]any{"in": in}); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: %+v", name, r.Errors)
		}
	}
}
