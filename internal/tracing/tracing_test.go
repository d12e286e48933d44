package tracing_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/prasan-hub/prasan/internal/tracing"
)

// With an endpoint, a request's spans reach the OTLP receiver when the export is
// flushed; without one nothing is set up.
func TestSetup_ExportsSpans(t *testing.T) {
	var got atomic.Int64
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/traces" && len(b) > 0 {
			got.Add(1)
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer receiver.Close()
	stop, err := tracing.Setup(t.Context(), receiver.URL, "test")
	if err != nil {
		t.Fatal(err)
	}
	h := tracing.Middleware(func(string) string { return "/graphql" }, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/graphql", nil))
	if err := stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got.Load() == 0 {
		t.Error("no spans reached the receiver")
	}
	if stop, err := tracing.Setup(t.Context(), "", "test"); err != nil || stop(context.Background()) != nil {
		t.Errorf("no endpoint: %v", err)
	}
}
