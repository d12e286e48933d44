package auth

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// errUnknownKey is a token signed with a key id the issuer does not publish.
var errUnknownKey = errors.New("unknown signing key")

// keySource finds the key that verifies a token of an issuer.
type keySource interface {
	key(ctx context.Context, kid string) (any, error)
	// generation changes whenever the set of keys is replaced.
	generation() uint64
}

// fileKey is one key read from a file: an HMAC secret or a PEM public key.
type fileKey struct {
	kid    string
	secret any
}

func loadFileKey(path, kid string, symmetric bool) (*fileKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if symmetric {
		secret := []byte(strings.TrimSpace(string(b)))
		if len(secret) < 32 {
			return nil, fmt.Errorf("%s: an HMAC secret needs at least 32 bytes", path)
		}
		return &fileKey{kid: kid, secret: secret}, nil
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &fileKey{kid: kid, secret: pub}, nil
}

// generation: a key file is read once.
func (k *fileKey) generation() uint64 { return 0 }

func (k *fileKey) key(_ context.Context, kid string) (any, error) {
	if k.kid != "" && kid != k.kid {
		return nil, errUnknownKey
	}
	return k.secret, nil
}

// jwksKeys are an issuer's published public keys, fetched from its JWKS URL: again
// every refresh interval, and when a token names a key id not in the set, but never
// more often than the floor. A fetch replaces the set, so retired keys are dropped.
type jwksKeys struct {
	url        string
	client     *http.Client
	refresh    time.Duration
	minRefresh time.Duration
	now        func() time.Time

	mu          sync.Mutex
	keys        map[string]jose.JSONWebKey
	fetchedAt   time.Time
	attemptedAt time.Time
	fetches     atomic.Uint64 // sets fetched: the generation
}

// generation counts the sets fetched: a token verified with an earlier set is
// verified again (its key may have been withdrawn).
func (j *jwksKeys) generation() uint64 { return j.fetches.Load() }

func (j *jwksKeys) key(ctx context.Context, kid string) (any, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := j.now()
	stale := now.Sub(j.fetchedAt) >= j.refresh
	_, known := j.keys[kid]
	if (stale || !known) && now.Sub(j.attemptedAt) >= j.minRefresh {
		j.attemptedAt = now
		if keys, err := j.fetch(ctx); err == nil {
			j.keys, j.fetchedAt = keys, now
			j.fetches.Add(1)
		} else if j.keys == nil {
			return nil, fmt.Errorf("fetch JWKS: %w", err)
		}
	}
	k, ok := j.keys[kid]
	if !ok {
		return nil, errUnknownKey
	}
	return k.Key, nil
}

func (j *jwksKeys) fetch(ctx context.Context) (map[string]jose.JSONWebKey, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.url, nil)
	if err != nil {
		return nil, err
	}
	res, err := j.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", j.url, res.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("%s: %w", j.url, err)
	}
	keys := make(map[string]jose.JSONWebKey, len(set.Keys))
	for _, k := range set.Keys {
		if !k.IsPublic() || (k.Use != "" && k.Use != "sig") {
			continue // never trust a private or encryption key for signatures
		}
		keys[k.KeyID] = k
	}
	return keys, nil
}
