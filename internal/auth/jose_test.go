package auth_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
)

// Tokens and keys made by the jose npm package (testdata/jose/mint.mjs), an
// implementation independent of golang-jwt: accepted when valid, refused when not.
func TestVerify_JoseTokens(t *testing.T) {
	b, err := os.ReadFile("testdata/jose/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Now    int64
		Issuer string
		JWKS   json.RawMessage
		Accept map[string]string
		Refuse map[string]string
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(fx.JWKS) }))
	t.Cleanup(jwks.Close)
	cfg := &auth.Config{Issuers: []auth.IssuerConfig{{Issuer: fx.Issuer, Audience: []string{"prasan"}, Algorithms: []string{"RS256", "ES256"}, JWKSURL: jwks.URL}}}
	path := writeConfig(t, cfg)
	c, err := auth.LoadConfig(path, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(fx.Now, 0)
	v, err := auth.NewVerifier(c, jwks.Client(), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range fx.Accept {
		p, err := v.Verify(t.Context(), tok, "", "")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.Subject != "jose-user" || p.Role != auth.RolePidThong || len(p.ProgramCodes) != 1 {
			t.Errorf("%s: %+v", name, p)
		}
	}
	if len(fx.Accept) != 2 || len(fx.Refuse) != 7 {
		t.Fatalf("fixtures: %d to accept, %d to refuse", len(fx.Accept), len(fx.Refuse))
	}
	for name, tok := range fx.Refuse {
		if _, err := v.Verify(t.Context(), tok, "", ""); apperr.CodeOf(err) != apperr.Unauthenticated {
			t.Errorf("%s: %v, want UNAUTHENTICATED", name, err)
		}
	}
}

func writeConfig(t *testing.T, c *auth.Config) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/auth.json"
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
