package server

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"golang.org/x/time/rate"
)

// RateLimits are how many requests a second each caller (subject and role) may
// make, with bursts of twice that: Default for every role, PerRole where set. Zero
// means no limit.
type RateLimits struct {
	Default float64
	PerRole map[auth.Role]float64
}

// ParseRateLimits reads "partner=10,viewer=50" (requests a second per role).
func ParseRateLimits(def float64, perRole string) (RateLimits, error) {
	rl := RateLimits{Default: def, PerRole: map[auth.Role]float64{}}
	for _, part := range strings.Split(perRole, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		role, value, ok := strings.Cut(part, "=")
		n, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if !ok || err != nil || n < 0 {
			return rl, fmt.Errorf("rate limit %q: write role=requests-per-second, such as partner=10", part)
		}
		rl.PerRole[auth.Role(strings.TrimSpace(role))] = n
	}
	return rl, nil
}

func (rl RateLimits) of(role auth.Role) float64 {
	if n, ok := rl.PerRole[role]; ok {
		return n
	}
	return rl.Default
}

// rateLimiter keeps a token bucket per caller; buckets idle for long are dropped.
type rateLimiter struct {
	limits RateLimits
	mu     sync.Mutex
	byKey  map[string]*bucket
	swept  time.Time
}

type bucket struct {
	limiter *rate.Limiter
	used    time.Time
}

func newRateLimiter(limits RateLimits) *rateLimiter {
	return &rateLimiter{limits: limits, byKey: map[string]*bucket{}}
}

// allow takes a request of p from its bucket; when it may not proceed it returns
// how long to wait.
func (l *rateLimiter) allow(p *auth.Principal, now time.Time) (bool, time.Duration) {
	perSecond := l.limits.of(p.Role)
	if perSecond == 0 {
		return true, 0
	}
	key := string(p.Role) + "\x00" + p.Subject
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.byKey {
			if now.Sub(b.used) > 10*time.Minute {
				delete(l.byKey, k)
			}
		}
		l.swept = now
	}
	b, ok := l.byKey[key]
	if !ok {
		b = &bucket{limiter: rate.NewLimiter(rate.Limit(perSecond), int(math.Max(1, 2*perSecond)))}
		l.byKey[key] = b
	}
	b.used = now
	r := b.limiter.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limitRate answers 429 with Retry-After to callers over their rate.
func (s *Server) limitRate(p *auth.Principal, w http.ResponseWriter) bool {
	if s.rate == nil {
		return true
	}
	ok, wait := s.rate.allow(p, time.Now())
	if ok {
		return true
	}
	s.metrics.RateLimited(string(p.Role))
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"errors": []map[string]any{{
		"message":    fmt.Sprintf("too many requests for %s as %s: at most %g a second; try again in %d s", p.Subject, p.Role, s.rate.limits.of(p.Role), secs),
		"extensions": map[string]any{"code": "RATE_LIMITED"}}}})
	return false
}
