package auth

import (
	"context"
	"slices"
	"time"
)

// Role is what a caller is allowed to do, in the hub's own words. Identity providers
// name roles their own way; an issuer's role map turns their names into these.
type Role string

// The roles.
const (
	RoleAdmin      Role = "admin"
	RoleONCB       Role = "oncb"
	RoleONCBRegion Role = "oncb_region"
	RoleMOI        Role = "moi"
	RoleProvince   Role = "province"
	RolePidThong   Role = "pidthong"
	RolePartner    Role = "partner"
	RoleViewer     Role = "viewer"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleONCB, RoleONCBRegion, RoleMOI, RoleProvince, RolePidThong, RolePartner, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Principal is a verified caller: who, for which agency, in which role, seeing
// which areas and programs, and for what purpose.
type Principal struct {
	Subject string
	Issuer  string
	Agency  string
	Role    Role
	// Roles are all the roles the token allows; Role is the one in use.
	Roles []Role
	// AreaCodes and ProgramCodes are the grants of the token: the areas (any
	// level) and programs whose villages the caller may see, where its role is
	// limited to them.
	AreaCodes    []string
	ProgramCodes []string
	Purpose      string
	// TrustScopeClaims is true when the issuer is trusted to grant areas and
	// programs in its tokens; otherwise only the hub's own grants count.
	TrustScopeClaims bool
	// ExpiresAt is when the token expires (it ends the caller's subscriptions).
	ExpiresAt time.Time

	access *access
}

// access is what the policy allows the caller.
type access struct {
	read           Scope
	writes         map[Resource]bool
	personal       bool
	registeredOnly bool
}

type principalKey struct{}

// WithPrincipal returns ctx carrying the verified caller and its read scope.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	ctx = context.WithValue(ctx, principalKey{}, p)
	return WithScope(ctx, p.ReadScope())
}

// PrincipalFrom returns the verified caller, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// ReadScope is what the caller may read, as the access policy applied to it says;
// nothing before a policy is applied.
func (p *Principal) ReadScope() Scope {
	if p.access == nil {
		return Areas()
	}
	return p.access.read
}

// Resource is a kind of record the hub writes.
type Resource string

// The resources written through the API.
const (
	// ResourcePlan is village plans: status, schedule, participation.
	ResourcePlan Resource = "plan"
	// ResourceMeeting is meetings and their action items.
	ResourceMeeting Resource = "meeting"
	// ResourceVillage is the village registry: villages, their names, households
	// and population.
	ResourceVillage Resource = "village"
	// ResourceBudget is budget lines of any agency (where the role writes).
	ResourceBudget Resource = "budget"
	// ResourceOwnBudget is the budget lines of the caller's own agency only.
	ResourceOwnBudget Resource = "own_budget"
	// ResourceFacilitator is facilitator assignments of village plans.
	ResourceFacilitator Resource = "facilitator"
	// ResourceActivity is prevention activities held in villages.
	ResourceActivity Resource = "activity"
	// ResourceProgram is action plans, measures and programs with their target
	// villages (action plans and measures only for roles that write everywhere).
	ResourceProgram Resource = "program"
)

// Resources lists the resources.
var Resources = []Resource{ResourcePlan, ResourceMeeting, ResourceVillage, ResourceBudget, ResourceOwnBudget, ResourceFacilitator, ResourceActivity, ResourceProgram}

// WriteScope is what the caller may change of a resource: where it reads, when its
// role writes the resource; nothing otherwise.
func (p *Principal) WriteScope(r Resource) Scope {
	if p.access == nil || !p.access.writes[r] {
		return Areas()
	}
	return p.access.read
}

// SeesPersonalData reports whether the caller may read personal data: the names and
// phone numbers of officials, village heads and facilitators.
func (p *Principal) SeesPersonalData() bool { return p.access != nil && p.access.personal }

// RegisteredOnly reports whether the caller's role may run only registered
// operations (the allow-list mode).
func (p *Principal) RegisteredOnly() bool { return p.access != nil && p.access.registeredOnly }

// IsAdmin reports whether the caller administers the hub.
func (p *Principal) IsAdmin() bool { return p.Role == RoleAdmin && p.access != nil }
