package cli

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveProfiler serves Go's profiler on a listener of its own, apart from the API
// (whose handler and its authentication never see these routes). It runs until the
// process ends, and returns the address it listens on.
func serveProfiler(addr string, log *slog.Logger) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("profiler listening", "addr", ln.Addr().String())
	go func() {
		hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		if err := hs.Serve(ln); err != nil {
			log.Error("profiler stopped", "error", err)
		}
	}()
	return ln.Addr(), nil
}
