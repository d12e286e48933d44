package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The local issuer signs tokens with a shared secret kept in a file of the hub's
// own, for development, scripts and the demo. Partners use their own issuers.

// DefaultLocalKeyFile is where the local secret lives: $PRASAN_LOCAL_KEY_FILE, or
// prasan/local-hs256.key under the user's config folder.
func DefaultLocalKeyFile() string {
	if f := os.Getenv("PRASAN_LOCAL_KEY_FILE"); f != "" {
		return f
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "prasan", "local-hs256.key")
}

// EnsureLocalKey creates the local secret (256 random bits, readable by its owner
// only) if the file does not exist yet. It reports whether it created one.
func EnsureLocalKey(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return false, nil // created meanwhile by another process
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.WriteString(hex.EncodeToString(b) + "\n")
	return err == nil, err
}

// TokenRequest is what a locally minted token says.
type TokenRequest struct {
	Subject  string
	Agency   string
	Roles    []Role
	Areas    []string
	Programs []string
	Purpose  string
	TTL      time.Duration
}

// MaxLocalTTL caps the life of a locally minted token.
const MaxLocalTTL = 30 * 24 * time.Hour

// MintLocal signs a token of the local issuer with the secret in keyFile.
func MintLocal(keyFile string, r TokenRequest, now time.Time) (string, error) {
	switch {
	case r.Subject == "":
		return "", errors.New("a token needs a subject")
	case len(r.Roles) == 0:
		return "", errors.New("a token needs at least one role")
	case r.TTL <= 0 || r.TTL > MaxLocalTTL:
		return "", fmt.Errorf("ttl must be between 1s and %s", MaxLocalTTL)
	}
	for _, role := range r.Roles {
		if !role.Valid() {
			return "", fmt.Errorf("unknown role %q (roles: %v)", role, Roles)
		}
	}
	b, err := os.ReadFile(keyFile)
	if err != nil {
		return "", err
	}
	claims := jwt.MapClaims{
		"iss": LocalIssuer, "aud": LocalAudience, "sub": r.Subject,
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(r.TTL).Unix(),
		"roles": r.Roles,
	}
	for k, v := range map[string]any{"agency": r.Agency, "purpose": r.Purpose} {
		if v != "" {
			claims[k] = v
		}
	}
	if len(r.Areas) > 0 {
		claims["areas"] = r.Areas
	}
	if len(r.Programs) > 0 {
		claims["programs"] = r.Programs
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	t.Header["kid"] = "local"
	return t.SignedString([]byte(strings.TrimSpace(string(b))))
}
