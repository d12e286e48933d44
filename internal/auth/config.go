package auth

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Config says which token issuers the hub trusts and how their claims map onto the
// hub's. It is read from a JSON file (PRASAN_AUTH_CONFIG); without one, the hub
// trusts only its own local issuer (HS256, key file), for development and scripts.
type Config struct {
	Issuers []IssuerConfig `json:"issuers"`
	// Leeway is the clock skew allowed on exp, nbf and iat ("30s" by default).
	Leeway Duration `json:"leeway"`
	// RoleHeader is the request header a caller names one of its token's roles in.
	RoleHeader string `json:"roleHeader"`
	// PurposeHeader is the request header a caller states its purpose in.
	PurposeHeader string `json:"purposeHeader"`
}

// IssuerConfig is one trusted issuer.
type IssuerConfig struct {
	// Issuer is the exact iss claim.
	Issuer string `json:"issuer"`
	// Audience lists the aud values accepted; a token must carry one of them.
	Audience []string `json:"audience"`
	// Algorithms is the allow-list of signing algorithms, such as ["RS256"].
	Algorithms []string `json:"algorithms"`
	// JWKSURL is where the issuer publishes its public keys.
	JWKSURL string `json:"jwksUrl,omitempty"`
	// JWKSRefresh is how often the key set is fetched again (15m by default).
	JWKSRefresh Duration `json:"jwksRefresh,omitempty"`
	// JWKSMinRefresh is the least time between two fetches, also when tokens with
	// unknown key ids arrive (1m by default).
	JWKSMinRefresh Duration `json:"jwksMinRefresh,omitempty"`
	// KeyFile is a PEM public key (RS256, ES256, EdDSA) or, for HS256, a file
	// holding the shared secret. Relative paths are relative to the config file.
	KeyFile string `json:"keyFile,omitempty"`
	// KeyID, with KeyFile, is the kid the key answers to (any kid when empty).
	KeyID string `json:"keyId,omitempty"`
	// Claims says where the hub's claims are in this issuer's tokens.
	Claims ClaimMap `json:"claims"`
	// RoleMap turns the issuer's role names into the hub's; names it does not
	// list are taken as they are.
	RoleMap map[string]Role `json:"roleMap,omitempty"`
	// ScopeClaims trusts the issuer to grant areas and programs in its tokens.
	// Without it only the hub's own grants (access_grant) count.
	ScopeClaims bool `json:"scopeClaims,omitempty"`
}

// ClaimMap names, for each of the hub's claims, the issuer's claim that holds it:
// a top-level name or a dotted path into nested objects ("realm_access.roles").
// A claim may hold a string or a list of strings.
type ClaimMap struct {
	Subject  string `json:"subject"`
	Agency   string `json:"agency"`
	Roles    string `json:"roles"`
	Areas    string `json:"areas"`
	Programs string `json:"programs"`
	Purpose  string `json:"purpose"`
}

// DefaultClaims are the hub's own claim names.
var DefaultClaims = ClaimMap{Subject: "sub", Agency: "agency", Roles: "roles", Areas: "areas", Programs: "programs", Purpose: "purpose"}

// The local issuer: the hub's own, for development and scripts.
const (
	LocalIssuer   = "prasan-local"
	LocalAudience = "prasan"
)

// Duration is a time.Duration written as "30s" in JSON.
type Duration struct{ time.Duration }

// UnmarshalJSON reads a duration such as "30s".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"30s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalJSON writes a duration such as "30s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// LoadConfig reads a config file. An empty path gives the local-only config with
// the key file given.
func LoadConfig(path, localKeyFile string) (*Config, error) {
	c := &Config{}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("auth config: %w", err)
		}
		if err := json.Unmarshal(b, c); err != nil {
			return nil, fmt.Errorf("auth config %s: %w", path, err)
		}
		for i := range c.Issuers {
			if kf := c.Issuers[i].KeyFile; kf != "" && !filepath.IsAbs(kf) {
				c.Issuers[i].KeyFile = filepath.Join(filepath.Dir(path), kf)
			}
		}
	} else {
		c.Issuers = []IssuerConfig{LocalIssuerConfig(localKeyFile)}
	}
	return c, c.check()
}

// LocalIssuerConfig is the local issuer with its key file.
func LocalIssuerConfig(keyFile string) IssuerConfig {
	return IssuerConfig{Issuer: LocalIssuer, Audience: []string{LocalAudience}, Algorithms: []string{"HS256"},
		KeyFile: keyFile, KeyID: "local", Claims: DefaultClaims, ScopeClaims: true}
}

var allowedAlgorithms = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// check fills defaults and refuses what cannot be safe.
func (c *Config) check() error {
	if c.Leeway.Duration == 0 {
		c.Leeway.Duration = 30 * time.Second
	}
	if c.Leeway.Duration < 0 || c.Leeway.Duration > 5*time.Minute {
		return fmt.Errorf("auth config: leeway %s is out of range 0–5m", c.Leeway)
	}
	if c.RoleHeader == "" {
		c.RoleHeader = "X-Prasan-Role"
	}
	if c.PurposeHeader == "" {
		c.PurposeHeader = "X-Prasan-Purpose"
	}
	if len(c.Issuers) == 0 {
		return fmt.Errorf("auth config: no issuers")
	}
	seen := map[string]bool{}
	for i := range c.Issuers {
		is := &c.Issuers[i]
		switch {
		case is.Issuer == "":
			return fmt.Errorf("auth config: issuer %d has no issuer name", i)
		case seen[is.Issuer]:
			return fmt.Errorf("auth config: issuer %q is listed twice", is.Issuer)
		case len(is.Audience) == 0:
			return fmt.Errorf("auth config: issuer %q has no audience", is.Issuer)
		case len(is.Algorithms) == 0:
			return fmt.Errorf("auth config: issuer %q allows no algorithm", is.Issuer)
		case (is.JWKSURL == "") == (is.KeyFile == ""):
			return fmt.Errorf("auth config: issuer %q needs exactly one of jwksUrl and keyFile", is.Issuer)
		}
		seen[is.Issuer] = true
		symmetric := false
		for _, a := range is.Algorithms {
			if !slices.Contains(allowedAlgorithms, a) {
				return fmt.Errorf("auth config: issuer %q: algorithm %q is not allowed", is.Issuer, a)
			}
			symmetric = symmetric || a[:2] == "HS"
		}
		// One issuer never mixes a shared secret with public keys: that mix is what
		// algorithm-confusion attacks feed on (RFC 8725, 2.1).
		if symmetric && (len(is.Algorithms) > 1 && slices.ContainsFunc(is.Algorithms, func(a string) bool { return a[:2] != "HS" })) {
			return fmt.Errorf("auth config: issuer %q mixes HMAC and public-key algorithms", is.Issuer)
		}
		if symmetric && is.JWKSURL != "" {
			return fmt.Errorf("auth config: issuer %q: HMAC secrets are not fetched from a JWKS", is.Issuer)
		}
		if is.JWKSRefresh.Duration == 0 {
			is.JWKSRefresh.Duration = 15 * time.Minute
		}
		if is.JWKSMinRefresh.Duration == 0 {
			is.JWKSMinRefresh.Duration = time.Minute
		}
		is.Claims = is.Claims.withDefaults()
		for from, to := range is.RoleMap {
			if !to.Valid() {
				return fmt.Errorf("auth config: issuer %q maps role %q to unknown role %q", is.Issuer, from, to)
			}
		}
	}
	return nil
}

func (m ClaimMap) withDefaults() ClaimMap {
	d := DefaultClaims
	for _, f := range []struct{ v, def *string }{{&m.Subject, &d.Subject}, {&m.Agency, &d.Agency}, {&m.Roles, &d.Roles},
		{&m.Areas, &d.Areas}, {&m.Programs, &d.Programs}, {&m.Purpose, &d.Purpose}} {
		if *f.v == "" {
			*f.v = *f.def
		}
	}
	return m
}
