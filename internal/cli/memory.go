package cli

import (
	"os"
	"runtime/debug"
)

// The server's garbage collector (and an import's), unless GOGC or GOMEMLIMIT say
// otherwise.
//
// A request allocates a few hundred kilobytes that are garbage when it is answered,
// and the live heap between requests is small (about 20 MB), so Go's default of
// collecting each time the heap doubles ran the collector many times a second under
// load: a quarter of the server's CPU went to it. The heap may grow five-fold
// between collections instead, and a soft limit keeps the whole heap, and so the
// resident memory, near the bound we promise (collecting more often as it nears).
const (
	serveGCPercent   = 400
	serveMemoryLimit = 160 << 20
)

// tuneGarbageCollector applies the server's defaults where the environment is
// silent.
func tuneGarbageCollector() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}
