package auth_test

import (
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
)

// BenchmarkVerify: a local token (HS256) as the load harness sends, verified
// per request.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b)
	tok, err := auth.MintLocal(f.localKey, auth.TokenRequest{Subject: "load-po-57", Agency: "PO-57", Roles: []auth.Role{auth.RoleProvince},
		Areas: []string{"57"}, TTL: time.Hour}, t0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.verifier.Verify(b.Context(), tok, "", ""); err != nil {
			b.Fatal(err)
		}
	}
}
