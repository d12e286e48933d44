package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/server"
)

// A caller over its rate gets 429 with Retry-After and RATE_LIMITED; other callers
// and roles without a limit go on.
func TestRateLimits(t *testing.T) {
	limits, err := server.ParseRateLimits(2, "admin=0,viewer=1")
	if err != nil {
		t.Fatal(err)
	}
	h := newHubWith(t, true, server.Options{RateLimits: limits})
	post := func(token string) *httptest.ResponseRecorder {
		body, _ := json.Marshal(map[string]any{"query": `{ me { role } }`})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		return rec
	}
	partner := h.mint(auth.TokenRequest{Subject: "p1", Agency: "MFLF", Roles: []auth.Role{auth.RolePartner}})
	other := h.mint(auth.TokenRequest{Subject: "p2", Agency: "MFLF", Roles: []auth.Role{auth.RolePartner}})
	codes := map[int]int{}
	var limited *httptest.ResponseRecorder
	for range 8 {
		rec := post(partner)
		codes[rec.Code]++
		if rec.Code == http.StatusTooManyRequests && limited == nil {
			limited = rec
		}
	}
	// a burst of twice the rate passes, the rest waits
	if codes[http.StatusOK] < 4 || codes[http.StatusOK] > 5 || codes[http.StatusTooManyRequests] < 3 || limited == nil {
		t.Fatalf("codes %v", codes)
	}
	if s, err := strconv.Atoi(limited.Header().Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", limited.Header().Get("Retry-After"))
	}
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	_ = json.Unmarshal(limited.Body.Bytes(), &body)
	if len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Errorf("body %s", limited.Body.String())
	}
	if rec := post(other); rec.Code != http.StatusOK {
		t.Errorf("another subject: %d", rec.Code)
	}
	for range 20 {
		if rec := post(h.token); rec.Code != http.StatusOK {
			t.Fatalf("admin (no limit): %d", rec.Code)
		}
	}
	if _, err := server.ParseRateLimits(1, "partner"); err == nil {
		t.Error("a rate without a value was accepted")
	}
}
