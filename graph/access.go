package graph

import (
	"github.com/prasan-hub/prasan/graph/model"
	"github.com/prasan-hub/prasan/internal/auth"
)

// grantInput reads grantAccess's input.
func grantInput(in model.GrantAccessInput) auth.Grant {
	g := auth.Grant{AgencyCode: in.AgencyCode, AreaCodes: in.AreaCodes.Value(), ProgramCodes: in.ProgramCodes.Value(), Purpose: in.Purpose.Value()}
	if v := in.PersonalData.Value(); v != nil {
		g.PersonalData = *v
	}
	return g
}

// pointers returns pointers to the elements of a slice.
func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}
