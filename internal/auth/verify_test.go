package auth_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/auth"
)

var t0 = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

// idp is a partner's identity provider: a JWKS endpoint whose keys can rotate.
type idp struct {
	mu      sync.Mutex
	keys    map[string]crypto.Signer
	fetches atomic.Int32
	srv     *httptest.Server
}

func newIDP(t testing.TB) *idp {
	p := &idp{keys: map[string]crypto.Signer{}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		p.fetches.Add(1)
		p.mu.Lock()
		defer p.mu.Unlock()
		var set jose.JSONWebKeySet
		for kid, k := range p.keys {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Public(), KeyID: kid, Use: "sig"})
		}
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) set(keys map[string]crypto.Signer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = keys
}

func rsaKey(t testing.TB) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// sign makes a token with the given method, key, kid and claims.
func sign(t *testing.T, m jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func partnerClaims(over map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss": "https://idp.partner.example", "aud": []string{"prasan", "other"}, "sub": "u-123",
		"iat": t0.Add(-time.Minute).Unix(), "nbf": t0.Add(-time.Minute).Unix(), "exp": t0.Add(time.Hour).Unix(),
		"org":          map[string]any{"code": "CDD"},
		"realm_access": map[string]any{"roles": []any{"partner-user", "viewer"}},
		"prasan_areas": "57, 58",
	}
	for k, v := range over {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

type fixture struct {
	verifier *auth.Verifier
	idp      *idp
	rsa      *rsa.PrivateKey
	ec       *ecdsa.PrivateKey
	ed       ed25519.PrivateKey
	localKey string
	now      *time.Time
}

func newFixture(t testing.TB) *fixture {
	f := &fixture{idp: newIDP(t), rsa: rsaKey(t), now: new(time.Time)}
	*f.now = t0
	var err error
	if f.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	if _, f.ed, err = ed25519.GenerateKey(rand.Reader); err != nil {
		t.Fatal(err)
	}
	f.idp.set(map[string]crypto.Signer{"rsa-1": f.rsa})
	dir := t.TempDir()
	f.localKey = filepath.Join(dir, "local.key")
	if _, err := auth.EnsureLocalKey(f.localKey); err != nil {
		t.Fatal(err)
	}
	ecPEM := writePublicPEM(t, dir, "ec.pem", f.ec.Public())
	edPEM := writePublicPEM(t, dir, "ed.pem", f.ed.Public())
	cfg := map[string]any{
		"leeway": "30s",
		"issuers": []any{
			map[string]any{"issuer": "https://idp.partner.example", "audience": []string{"prasan"}, "algorithms": []string{"RS256"},
				"jwksUrl": f.idp.srv.URL, "jwksRefresh": "1h", "jwksMinRefresh": "10s", "scopeClaims": true,
				"claims":  map[string]string{"agency": "org.code", "roles": "realm_access.roles", "areas": "prasan_areas"},
				"roleMap": map[string]string{"partner-user": "partner"}},
			map[string]any{"issuer": "https://ec.example", "audience": []string{"prasan"}, "algorithms": []string{"ES256"}, "keyFile": ecPEM},
			map[string]any{"issuer": "https://ed.example", "audience": []string{"prasan"}, "algorithms": []string{"EdDSA"}, "keyFile": edPEM},
			map[string]any{"issuer": auth.LocalIssuer, "audience": []string{auth.LocalAudience}, "algorithms": []string{"HS256"}, "keyFile": f.localKey, "keyId": "local", "scopeClaims": true},
		},
	}
	b, _ := json.Marshal(cfg)
	path := filepath.Join(dir, "auth.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := auth.LoadConfig(path, "")
	if err != nil {
		t.Fatal(err)
	}
	f.verifier, err = auth.NewVerifier(c, f.idp.srv.Client(), func() time.Time { return *f.now })
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func writePublicPEM(t testing.TB, dir, name string, pub crypto.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerify_MapsClaims(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodRS256, f.rsa, "rsa-1", partnerClaims(nil))
	p, err := f.verifier.Verify(t.Context(), tok, "", "drug-prevention-plan")
	if err != nil {
		t.Fatal(err)
	}
	want := &auth.Principal{Subject: "u-123", Issuer: "https://idp.partner.example", Agency: "CDD", Role: auth.RolePartner,
		Roles: []auth.Role{auth.RolePartner, auth.RoleViewer}, AreaCodes: []string{"57", "58"}, Purpose: "drug-prevention-plan",
		TrustScopeClaims: true, ExpiresAt: f.now.Add(time.Hour)}
	if diff := cmp.Diff(want, p, cmpopts.IgnoreUnexported(auth.Principal{})); diff != "" {
		t.Errorf("principal (-want +got):\n%s", diff)
	}
	if !p.ReadScope().IsNone() {
		t.Errorf("scope before the policy is applied: %v, want nothing", p.ReadScope())
	}
	auth.DefaultPolicy().Apply(p)
	if !p.ReadScope().CoversArea("57010101") || p.ReadScope().CoversArea("50010101") {
		t.Errorf("scope %v", p.ReadScope())
	}
	p, err = f.verifier.Verify(t.Context(), tok, "viewer", "")
	if err != nil || p.Role != auth.RoleViewer {
		t.Errorf("role header viewer: %v %v", p, err)
	}
	if _, err := f.verifier.Verify(t.Context(), tok, "admin", ""); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a role the token does not allow: %v, want FORBIDDEN", err)
	}
}

func TestVerify_Refuses(t *testing.T) {
	f := newFixture(t)
	other := rsaKey(t)
	good := partnerClaims(nil)
	rsTok := func(c jwt.MapClaims) string { return sign(t, jwt.SigningMethodRS256, f.rsa, "rsa-1", c) }
	pubDER, _ := x509.MarshalPKIXPublicKey(f.rsa.Public())
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	tampered := func() string {
		parts := strings.Split(rsTok(good), ".")
		c := partnerClaims(map[string]any{"realm_access": map[string]any{"roles": []any{"admin"}}})
		b, _ := json.Marshal(c)
		parts[1] = base64.RawURLEncoding.EncodeToString(b)
		return strings.Join(parts, ".")
	}()
	none := func() string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodNone, good).SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}()
	for name, tt := range map[string]struct {
		token string
		says  string
	}{
		"expired":                              {rsTok(partnerClaims(map[string]any{"exp": t0.Add(-time.Minute).Unix()})), "expired"},
		"expired beyond the leeway":            {rsTok(partnerClaims(map[string]any{"exp": t0.Add(-31 * time.Second).Unix()})), "expired"},
		"not valid yet":                        {rsTok(partnerClaims(map[string]any{"nbf": t0.Add(time.Minute).Unix()})), "not valid yet"},
		"issued in the future":                 {rsTok(partnerClaims(map[string]any{"iat": t0.Add(time.Minute).Unix()})), "not valid yet"},
		"without exp":                          {rsTok(partnerClaims(map[string]any{"exp": nil})), "required claim"},
		"untrusted issuer":                     {rsTok(partnerClaims(map[string]any{"iss": "https://evil.example"})), "not trusted"},
		"wrong audience":                       {rsTok(partnerClaims(map[string]any{"aud": "someone-else"})), "audience"},
		"without audience":                     {rsTok(partnerClaims(map[string]any{"aud": nil})), "required claim"},
		"unknown key id":                       {sign(t, jwt.SigningMethodRS256, other, "rsa-9", good), "unknown key"},
		"right kid, wrong key":                 {sign(t, jwt.SigningMethodRS256, other, "rsa-1", good), "signature"},
		"alg none":                             {none, "not allowed"},
		"HS256 signed with the RSA public key": {sign(t, jwt.SigningMethodHS256, pubPEM, "rsa-1", good), "not allowed"},
		"RS512 where only RS256 is allowed":    {sign(t, jwt.SigningMethodRS512, f.rsa, "rsa-1", good), "not allowed"},
		"tampered payload":                     {tampered, "signature"},
		"not a JWT":                            {"abc.def", "well-formed"},
		"no subject":                           {rsTok(partnerClaims(map[string]any{"sub": nil})), "subject"},
		"local token with a foreign key":       {sign(t, jwt.SigningMethodHS256, []byte(strings.Repeat("k", 32)), "local", jwt.MapClaims{"iss": auth.LocalIssuer, "aud": auth.LocalAudience, "sub": "x", "exp": t0.Add(time.Hour).Unix(), "roles": []string{"admin"}}), "signature"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.verifier.Verify(t.Context(), tt.token, "", "")
			if apperr.CodeOf(err) != apperr.Unauthenticated || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("got %v, want UNAUTHENTICATED saying %q", err, tt.says)
			}
		})
	}
	t.Run("no role of the hub", func(t *testing.T) {
		_, err := f.verifier.Verify(t.Context(), rsTok(partnerClaims(map[string]any{"realm_access": map[string]any{"roles": []any{"janitor"}}})), "", "")
		if apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("got %v, want FORBIDDEN", err)
		}
	})
}

func TestVerify_ClockSkewWithinLeeway(t *testing.T) {
	f := newFixture(t)
	for name, c := range map[string]jwt.MapClaims{
		"expired 20s ago":         partnerClaims(map[string]any{"exp": t0.Add(-20 * time.Second).Unix()}),
		"valid from 20s from now": partnerClaims(map[string]any{"nbf": t0.Add(20 * time.Second).Unix(), "iat": t0.Add(20 * time.Second).Unix()}),
	} {
		if _, err := f.verifier.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, f.rsa, "rsa-1", c), "", ""); err != nil {
			t.Errorf("%s: %v, want accepted within the 30s leeway", name, err)
		}
	}
}

// When the identity provider rotates its keys, a token with the new kid is accepted
// (the set is fetched again, not more often than the floor) and the old key is
// dropped.
func TestVerify_JWKSRotation(t *testing.T) {
	f := newFixture(t)
	oldTok := sign(t, jwt.SigningMethodRS256, f.rsa, "rsa-1", partnerClaims(nil))
	if _, err := f.verifier.Verify(t.Context(), oldTok, "", ""); err != nil {
		t.Fatal(err)
	}
	next := rsaKey(t)
	f.idp.set(map[string]crypto.Signer{"rsa-2": next})
	newTok := sign(t, jwt.SigningMethodRS256, next, "rsa-2", partnerClaims(nil))

	fetches := f.idp.fetches.Load()
	if _, err := f.verifier.Verify(t.Context(), newTok, "", ""); err == nil {
		t.Error("new kid accepted within the refetch floor: the set cannot have been fetched again")
	}
	if f.idp.fetches.Load() != fetches {
		t.Error("fetched again within the 10s floor")
	}
	*f.now = t0.Add(11 * time.Second)
	if _, err := f.verifier.Verify(t.Context(), newTok, "", ""); err != nil {
		t.Errorf("new kid after the floor: %v", err)
	}
	if _, err := f.verifier.Verify(t.Context(), oldTok, "", ""); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Errorf("old kid after rotation: %v, want unknown key", err)
	}
	// a burst of unknown kids costs at most one fetch per floor
	fetches = f.idp.fetches.Load()
	for range 20 {
		_, _ = f.verifier.Verify(t.Context(), sign(t, jwt.SigningMethodRS256, next, "rsa-x", partnerClaims(nil)), "", "")
	}
	if n := f.idp.fetches.Load() - fetches; n > 1 {
		t.Errorf("%d fetches for a burst of unknown kids, want at most 1", n)
	}
}

func TestVerify_ECAndEdDSAKeyFiles(t *testing.T) {
	f := newFixture(t)
	for iss, tok := range map[string]string{
		"https://ec.example": sign(t, jwt.SigningMethodES256, f.ec, "", jwt.MapClaims{"iss": "https://ec.example", "aud": "prasan", "sub": "e", "exp": t0.Add(time.Hour).Unix(), "roles": "moi"}),
		"https://ed.example": sign(t, jwt.SigningMethodEdDSA, f.ed, "", jwt.MapClaims{"iss": "https://ed.example", "aud": "prasan", "sub": "d", "exp": t0.Add(time.Hour).Unix(), "roles": []string{"oncb"}}),
	} {
		if _, err := f.verifier.Verify(t.Context(), tok, "", ""); err != nil {
			t.Errorf("%s: %v", iss, err)
		}
	}
}

func TestMintLocal(t *testing.T) {
	f := newFixture(t)
	tok, err := auth.MintLocal(f.localKey, auth.TokenRequest{Subject: "dev", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince},
		Areas: []string{"50"}, Purpose: "drug-prevention-plan", TTL: time.Hour}, t0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.verifier.Verify(t.Context(), tok, "", "")
	if err != nil {
		t.Fatal(err)
	}
	auth.DefaultPolicy().Apply(p)
	if p.Role != auth.RoleProvince || p.Agency != "PO-50" || p.Purpose != "drug-prevention-plan" || !p.ReadScope().CoversArea("5004") {
		t.Errorf("principal %+v", p)
	}
	for name, r := range map[string]auth.TokenRequest{
		"no role":      {Subject: "x", TTL: time.Hour},
		"unknown role": {Subject: "x", Roles: []auth.Role{"root"}, TTL: time.Hour},
		"too long":     {Subject: "x", Roles: []auth.Role{auth.RoleAdmin}, TTL: 365 * 24 * time.Hour},
	} {
		if _, err := auth.MintLocal(f.localKey, r, t0); err == nil {
			t.Errorf("%s: minted", name)
		}
	}
}

func TestLoadConfig_RefusesUnsafeIssuers(t *testing.T) {
	for name, issuer := range map[string]map[string]any{
		"HMAC mixed with RSA": {"issuer": "a", "audience": []string{"p"}, "algorithms": []string{"HS256", "RS256"}, "keyFile": "k"},
		"alg none":            {"issuer": "a", "audience": []string{"p"}, "algorithms": []string{"none"}, "keyFile": "k"},
		"HMAC from a JWKS":    {"issuer": "a", "audience": []string{"p"}, "algorithms": []string{"HS256"}, "jwksUrl": "https://x"},
		"no audience":         {"issuer": "a", "algorithms": []string{"RS256"}, "jwksUrl": "https://x"},
		"both keys and JWKS":  {"issuer": "a", "audience": []string{"p"}, "algorithms": []string{"RS256"}, "jwksUrl": "https://x", "keyFile": "k"},
		"unknown role in map": {"issuer": "a", "audience": []string{"p"}, "algorithms": []string{"RS256"}, "jwksUrl": "https://x", "roleMap": map[string]string{"x": "root"}},
	} {
		t.Run(name, func(t *testing.T) {
			b, _ := json.Marshal(map[string]any{"issuers": []any{issuer}})
			path := filepath.Join(t.TempDir(), "auth.json")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := auth.LoadConfig(path, ""); err == nil {
				t.Error("accepted")
			}
		})
	}
}

// A token verified is kept, but never past its expiry, never for a role it does not
// allow, and each caller gets a principal of its own.
func TestVerify_KeptTokensStayChecked(t *testing.T) {
	f := newFixture(t)
	claims := partnerClaims(nil)
	claims["exp"] = t0.Add(2 * time.Minute).Unix()
	tok := sign(t, jwt.SigningMethodRS256, f.rsa, "rsa-1", claims)
	first, err := f.verifier.Verify(t.Context(), tok, "", "")
	if err != nil {
		t.Fatal(err)
	}
	auth.DefaultPolicy().Apply(first)
	first.Agency = "changed by a caller"
	again, err := f.verifier.Verify(t.Context(), tok, "", "")
	if err != nil || again == first || again.Agency != "CDD" || !again.ReadScope().IsNone() {
		t.Errorf("the same token again: %+v %v, want a fresh principal of CDD with no access applied", again, err)
	}
	if _, err := f.verifier.Verify(t.Context(), tok, "admin", ""); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("a kept token with a role it does not allow: %v, want FORBIDDEN", err)
	}
	if p, err := f.verifier.Verify(t.Context(), tok, "", "drug-prevention-plan"); err != nil || p.Purpose != "drug-prevention-plan" {
		t.Errorf("a kept token with a purpose: %+v %v", p, err)
	}
	claims["exp"] = t0.Add(10 * time.Second).Unix()
	short := sign(t, jwt.SigningMethodRS256, f.rsa, "rsa-1", claims)
	if _, err := f.verifier.Verify(t.Context(), short, "", ""); err != nil {
		t.Fatal(err)
	}
	*f.now = t0.Add(41 * time.Second) // past its expiry and the 30 s leeway, within verifiedFor
	if _, err := f.verifier.Verify(t.Context(), short, "", ""); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("a kept token past its expiry: %v, want expired", err)
	}
	if _, err := f.verifier.Verify(t.Context(), tok, "", ""); err != nil {
		t.Errorf("a kept token within its life: %v", err)
	}
}
