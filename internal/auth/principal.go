package auth

import (
	"context"
	"slices"
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

// ReadScope is what the caller may read. National roles read everything; regional,
// provincial and partner roles the villages of their areas; the Pid Thong institute
// the villages of the programs it supports.
func (p *Principal) ReadScope() Scope {
	switch p.Role {
	case RoleAdmin, RoleONCB, RoleMOI, RoleViewer:
		return All()
	case RolePidThong:
		return Programs(p.ProgramCodes...)
	case RoleONCBRegion, RoleProvince, RolePartner:
		return Areas(p.AreaCodes...)
	}
	return Areas()
}

// Resource is a kind of record the hub writes.
type Resource string

// The resources written through the API.
const (
	// ResourcePlan is village plans: status, schedule, participation.
	ResourcePlan Resource = "plan"
	// ResourceMeeting is meetings and their action items.
	ResourceMeeting Resource = "meeting"
)

// WriteScope is what the caller may change of a resource: nothing, everything, or
// the villages of its areas.
func (p *Principal) WriteScope(r Resource) Scope {
	switch r {
	case ResourcePlan:
		switch p.Role {
		case RoleAdmin, RoleMOI:
			return All()
		case RoleProvince:
			return Areas(p.AreaCodes...)
		}
	case ResourceMeeting:
		switch p.Role {
		case RoleAdmin, RoleONCB:
			return All()
		case RoleONCBRegion, RoleProvince:
			return Areas(p.AreaCodes...)
		}
	}
	return Areas()
}

// SeesPersonalData reports whether the caller's role may read personal data: the
// names and phone numbers of officials, village heads and facilitators.
func (p *Principal) SeesPersonalData() bool {
	switch p.Role {
	case RoleAdmin, RoleONCB, RoleONCBRegion, RoleMOI, RoleProvince, RolePidThong:
		return true
	}
	return false
}
