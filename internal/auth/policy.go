package auth

import (
	"slices"
	"time"
)

// Reads says how far a role reads.
type Reads string

// The extents.
const (
	// ReadsAll reads every area.
	ReadsAll Reads = "ALL"
	// ReadsGranted reads only the areas and programs granted to the caller.
	ReadsGranted Reads = "GRANTED"
)

// RoleRule is what a role may do. Rules are data, kept in the database.
type RoleRule struct {
	Role         Role
	Reads        Reads
	PersonalData bool
	Writes       []Resource
	Version      int64
	UpdatedAt    time.Time
	UpdatedBy    string
	// RegisteredOnly is the allow-list mode: the role may run only operations an
	// admin registered.
	RegisteredOnly bool
}

// Grant gives an agency's callers areas, programs and field groups to see. A grant
// with a purpose applies only to requests that state it.
type Grant struct {
	ID           int64
	AgencyCode   string
	AreaCodes    []string
	ProgramCodes []string
	PersonalData bool
	Purpose      *string
	GrantedAt    time.Time
	GrantedBy    string
	RevokedAt    *time.Time
	RevokedBy    *string
}

// Active reports whether the grant is in force.
func (g *Grant) Active() bool { return g.RevokedAt == nil }

// Policy is the access rules in force: each role's rule and the active grants.
type Policy struct {
	Rules  map[Role]RoleRule
	Grants []Grant
}

// Apply works out what the caller may do: its role's rule, and for roles that read
// only what is granted, the union of its token's grants (when its issuer is trusted
// for them) and its agency's grants for the request's purpose.
func (pol *Policy) Apply(p *Principal) {
	rule, ok := pol.Rules[p.Role]
	if !ok {
		p.access = &access{read: Areas()}
		return
	}
	a := &access{personal: rule.PersonalData, writes: map[Resource]bool{}, registeredOnly: rule.RegisteredOnly}
	for _, r := range rule.Writes {
		a.writes[r] = true
	}
	read := Areas()
	if p.TrustScopeClaims {
		read = Areas(p.AreaCodes...).Union(Programs(p.ProgramCodes...))
	}
	for _, g := range pol.Grants {
		if !g.Active() || g.AgencyCode == "" || g.AgencyCode != p.Agency || (g.Purpose != nil && *g.Purpose != p.Purpose) {
			continue
		}
		read = read.Union(Areas(g.AreaCodes...)).Union(Programs(g.ProgramCodes...))
		a.personal = a.personal || g.PersonalData
	}
	if rule.Reads == ReadsAll {
		read = All()
	}
	a.read = read
	p.access = a
}

// DefaultPolicy is the policy the first migration installs, for tests and tools
// that run without a database.
func DefaultPolicy() *Policy {
	rule := func(r Role, reads Reads, personal bool, writes ...Resource) RoleRule {
		return RoleRule{Role: r, Reads: reads, PersonalData: personal, Writes: writes}
	}
	rules := []RoleRule{
		rule(RoleAdmin, ReadsAll, true, Resources...),
		rule(RoleONCB, ReadsAll, true, ResourceMeeting, ResourceActivity, ResourceProgram),
		rule(RoleONCBRegion, ReadsGranted, true, ResourceMeeting, ResourceActivity, ResourceProgram),
		rule(RoleMOI, ReadsAll, true, ResourcePlan, ResourceVillage),
		rule(RoleProvince, ReadsGranted, true, ResourcePlan, ResourceMeeting, ResourceBudget),
		rule(RolePidThong, ReadsGranted, true, ResourceFacilitator, ResourceActivity),
		rule(RolePartner, ReadsGranted, false, ResourceOwnBudget),
		rule(RoleViewer, ReadsAll, false),
	}
	pol := &Policy{Rules: map[Role]RoleRule{}}
	for _, r := range rules {
		pol.Rules[r.Role] = r
	}
	return pol
}

// ValidResource reports whether r is a known resource.
func ValidResource(r Resource) bool { return slices.Contains(Resources, r) }
