package cli

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// serve's collector defaults apply where GOGC and GOMEMLIMIT are not set, and give
// way where they are.
func TestTuneGarbageCollector(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		if v, ok := os.LookupEnv(env); ok {
			t.Cleanup(func() { os.Setenv(env, v) })
		}
		os.Unsetenv(env)
	}

	tuneGarbageCollector()
	if p := debug.SetGCPercent(100); p != serveGCPercent {
		t.Errorf("GC percent %d, want %d", p, serveGCPercent)
	}
	if l := debug.SetMemoryLimit(-1); l != serveMemoryLimit {
		t.Errorf("memory limit %d, want %d", l, serveMemoryLimit)
	}

	debug.SetGCPercent(150)
	debug.SetMemoryLimit(1 << 30)
	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	tuneGarbageCollector()
	if p := debug.SetGCPercent(100); p != 150 {
		t.Errorf("with GOGC set, GC percent %d, want 150", p)
	}
	if l := debug.SetMemoryLimit(-1); l != 1<<30 {
		t.Errorf("with GOMEMLIMIT set, memory limit %d", l)
	}
}

// --debug-addr serves Go's profiler on its own listener.
func TestServeProfiler(t *testing.T) {
	addr, err := serveProfiler("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr.String() + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine") {
		t.Errorf("profiler index: %d %.200s", resp.StatusCode, body)
	}
}
