package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
)

// /metrics tells operators what the hub does, in the Prometheus text format.
func TestMetrics(t *testing.T) {
	h := newHub(t, true)
	h.query(`{ village(code: "50040103") { code plans { status } } }`, nil, &map[string]any{})
	h.fail(`{ village(code: "5") { code } }`, nil)
	upload(t, h, h.mint(auth.TokenRequest{Subject: "moi", Agency: "MOI-OPS", Roles: []auth.Role{auth.RoleMOI}}), "text/csv", "?dryRun=true", "sourceId,code,nameTh\nx,50040150,บ้านใหม่\n")
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	text := string(body)
	for _, want := range []string{
		`prasan_graphql_operations_total{operation="village",outcome="ok",type="query"} 1`,
		`prasan_graphql_operations_total{operation="village",outcome="error",type="query"} 1`,
		`prasan_graphql_operation_duration_seconds_count{type="query"} 2`,
		`prasan_http_requests_total{code="OK",route="/graphql"}`,
		`prasan_sql_statements_per_request_count`,
		`prasan_db_pool_max_connections`,
		`prasan_import_rows_total{applied="false",kind="village"} 1`,
		`prasan_subscriptions_open 0`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
