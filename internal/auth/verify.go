package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prasan-hub/prasan/internal/apperr"
)

// Verifier checks bearer tokens of the trusted issuers, following RFC 8725: an
// allow-list of algorithms per issuer, exp required, nbf and iat honoured with a
// small leeway, iss and aud checked, kid honoured.
type Verifier struct {
	cfg     *Config
	issuers map[string]*issuer
	now     func() time.Time
	// verified keeps the callers of tokens verified lately, by token and the role
	// and purpose asked for (see Verify).
	verified *lru.Cache[verifiedKey, verifiedCaller]
}

// A token verified is kept for verifiedFor at most, and never past its expiry:
// a partner system sends the same token with every request, and verifying it
// (parsing its JSON twice, checking its signature) was a twentieth of a request's
// CPU. Once an issuer's keys are fetched again, the tokens it signed are verified
// again: a withdrawn key stops its tokens as soon as the hub knows.
const (
	verifiedFor  = time.Minute
	verifiedKept = 4096
)

type verifiedKey struct{ token, role, purpose string }

type verifiedCaller struct {
	principal  Principal
	until      time.Time
	generation uint64 // of the issuer's keys that verified it
}

type issuer struct {
	cfg  IssuerConfig
	keys keySource
}

// NewVerifier builds a verifier for the configured issuers. client fetches JWKS
// (http.DefaultClient if nil); now is the clock (time.Now if nil).
func NewVerifier(cfg *Config, client *http.Client, now func() time.Time) (*Verifier, error) {
	if client == nil {
		client = http.DefaultClient
	}
	if now == nil {
		now = time.Now
	}
	verified, err := lru.New[verifiedKey, verifiedCaller](verifiedKept)
	if err != nil {
		return nil, err
	}
	v := &Verifier{cfg: cfg, issuers: map[string]*issuer{}, now: now, verified: verified}
	for _, ic := range cfg.Issuers {
		is := &issuer{cfg: ic}
		if ic.KeyFile != "" {
			k, err := loadFileKey(ic.KeyFile, ic.KeyID, strings.HasPrefix(ic.Algorithms[0], "HS"))
			if err != nil {
				return nil, fmt.Errorf("issuer %q: %w", ic.Issuer, err)
			}
			is.keys = k
		} else {
			is.keys = &jwksKeys{url: ic.JWKSURL, client: client, refresh: ic.JWKSRefresh.Duration,
				minRefresh: ic.JWKSMinRefresh.Duration, now: now}
		}
		v.issuers[ic.Issuer] = is
	}
	return v, nil
}

// Config returns the verifier's configuration.
func (v *Verifier) Config() *Config { return v.cfg }

func unauthenticated(format string, args ...any) error {
	return apperr.New(apperr.Unauthenticated, format, args...)
}

// Verify checks a raw token and returns the caller it names, in the role asked
// for (one of the token's roles; the first when none is asked), with the purpose
// stated in the request (the token's purpose claim wins when both are given).
//
// A token verified lately is not verified again (see verifiedFor); each call returns
// a principal of its own, with no access applied.
func (v *Verifier) Verify(ctx context.Context, raw, role, purpose string) (*Principal, error) {
	key := verifiedKey{token: raw, role: role, purpose: purpose}
	now := v.now()
	if c, ok := v.verified.Get(key); ok && now.Before(c.until) && c.generation == v.issuers[c.principal.Issuer].keys.generation() {
		p := c.principal
		return &p, nil
	}
	p, generation, err := v.verify(ctx, raw, role, purpose)
	if err != nil {
		return nil, err
	}
	until := now.Add(verifiedFor)
	if p.ExpiresAt.Before(until) {
		until = p.ExpiresAt
	}
	v.verified.Add(key, verifiedCaller{principal: *p, until: until, generation: generation})
	return p, nil
}

// verify checks a token as Verify says, every time, and returns the generation of
// the issuer's keys it was checked with.
func (v *Verifier) verify(ctx context.Context, raw, role, purpose string) (*Principal, uint64, error) {
	unverified, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		return nil, 0, unauthenticated("the bearer token is not a well-formed JWT")
	}
	iss, _ := unverified.Claims.(jwt.MapClaims)["iss"].(string)
	is, ok := v.issuers[iss]
	if !ok {
		return nil, 0, unauthenticated("tokens of issuer %q are not trusted", iss)
	}
	if alg, _ := unverified.Header["alg"].(string); !slices.Contains(is.cfg.Algorithms, alg) {
		return nil, 0, unauthenticated("algorithm %q is not allowed for issuer %q", alg, iss)
	}
	generation := is.keys.generation() // before: a set fetched meanwhile makes it verify again
	parser := jwt.NewParser(
		jwt.WithValidMethods(is.cfg.Algorithms),
		jwt.WithIssuer(is.cfg.Issuer),
		jwt.WithAudience(is.cfg.Audience...),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(v.cfg.Leeway.Duration),
		jwt.WithTimeFunc(v.now),
	)
	claims := jwt.MapClaims{}
	_, err = parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return is.keys.key(ctx, kid)
	})
	if err != nil {
		return nil, 0, tokenError(err)
	}
	p, err := is.principal(claims, role)
	if err != nil {
		return nil, 0, err
	}
	if p.Purpose == "" {
		p.Purpose = purpose
	}
	return p, generation, nil
}

// tokenError says why a token was refused, in words safe to show.
func tokenError(err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return unauthenticated("the token has expired")
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return unauthenticated("the token is not valid yet")
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return unauthenticated("the token is not meant for this hub (audience)")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return unauthenticated("the token's issuer is not trusted")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return unauthenticated("the token lacks a required claim (exp, iss or aud)")
	case errors.Is(err, errUnknownKey):
		return unauthenticated("the token is signed with an unknown key")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return unauthenticated("the token's signature is invalid")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return unauthenticated("the token cannot be verified: its algorithm is not allowed for its issuer, or its key is unavailable")
	}
	return unauthenticated("the token is not valid")
}

// principal maps the issuer's claims onto the hub's.
func (is *issuer) principal(claims jwt.MapClaims, asked string) (*Principal, error) {
	m := is.cfg.Claims
	p := &Principal{Issuer: is.cfg.Issuer, TrustScopeClaims: is.cfg.ScopeClaims}
	if exp, err := claims.GetExpirationTime(); err == nil && exp != nil {
		p.ExpiresAt = exp.Time
	}
	p.Subject = claimString(claims, m.Subject)
	if p.Subject == "" {
		return nil, unauthenticated("the token names no subject (claim %q)", m.Subject)
	}
	p.Agency = claimString(claims, m.Agency)
	p.Purpose = claimString(claims, m.Purpose)
	p.AreaCodes = claimStrings(claims, m.Areas)
	p.ProgramCodes = claimStrings(claims, m.Programs)
	for _, name := range claimStrings(claims, m.Roles) {
		r := Role(name)
		if mapped, ok := is.cfg.RoleMap[name]; ok {
			r = mapped
		}
		if r.Valid() && !slices.Contains(p.Roles, r) {
			p.Roles = append(p.Roles, r)
		}
	}
	if len(p.Roles) == 0 {
		return nil, apperr.New(apperr.Forbidden, "the token grants no role of this hub")
	}
	p.Role = p.Roles[0]
	if asked != "" {
		if !slices.Contains(p.Roles, Role(asked)) {
			return nil, apperr.New(apperr.Forbidden, "the token does not allow role %q", asked)
		}
		p.Role = Role(asked)
	}
	return p, nil
}

// claim reads a claim by top-level name or dotted path.
func claim(claims jwt.MapClaims, path string) any {
	var v any = map[string]any(claims)
	for _, part := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[part]
	}
	return v
}

// claimString reads a single-valued claim (the first, if it is a list).
func claimString(claims jwt.MapClaims, path string) string {
	switch x := claim(claims, path).(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			s, _ := x[0].(string)
			return s
		}
	}
	return ""
}

// claimStrings reads a list claim: a JSON list of strings, or one string of values
// separated by spaces or commas (as OAuth scopes are).
func claimStrings(claims jwt.MapClaims, path string) []string {
	switch x := claim(claims, path).(type) {
	case string:
		if x == "" {
			return nil
		}
		return strings.Fields(strings.ReplaceAll(x, ",", " "))
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
