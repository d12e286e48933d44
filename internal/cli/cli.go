// Package cli is the prasan command: serve, migrate and version. main only calls Run.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prasan-hub/prasan/graph"
	"github.com/prasan-hub/prasan/internal/demo"
	"github.com/prasan-hub/prasan/internal/localpg"
	"github.com/prasan-hub/prasan/internal/postgres"
	"github.com/prasan-hub/prasan/internal/refdata"
	"github.com/prasan-hub/prasan/internal/server"
	"github.com/prasan-hub/prasan/internal/tracing"
)

const usage = `prasan — ประสาน, the GraphQL hub for village plans and budgets

Usage:
  prasan serve [--demo] [flags]     run the hub (applies migrations first)
  prasan migrate up|down|status     manage the database schema
  prasan token --role R [flags]     mint a token of the local issuer, for development
  prasan import --kind K --agency A FILE   import an agency's records from CSV or JSON Lines
  prasan demo [--national]          load the demo data set (and a national one, for benchmarks)
  prasan audit verify|prune         check the audit trail's hash chain, or prune past retention
  prasan version                    print the version
  prasan <command> --help           flags of a command

Configuration comes from flags and environment variables; see README.md.
`

// Run runs the command line args (without the program name) and returns the exit
// code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		err = migrate(ctx, args[1:], stdout, stderr)
	case "token":
		err = token(args[1:], stdout, stderr)
	case "import":
		err = importFile(ctx, args[1:], stdout, stderr)
	case "demo":
		err = demoData(ctx, args[1:], stdout, stderr)
	case "audit":
		err = audit(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "prasan", Version())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "prasan: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, errRejected):
		return 1
	case err != nil:
		fmt.Fprintln(stderr, "prasan:", err)
		return 1
	}
	return 0
}

var (
	errUsage    = errors.New("usage")
	errRejected = errors.New("rows rejected")
)

// parseError keeps --help a success and makes any other flag error a usage error;
// the flag package has printed it already.
func parseError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errUsage
}

// Version is the module version, or the VCS revision of a development build.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" {
			return "devel " + s.Value
		}
	}
	return "devel"
}

func newLogger(c *Config, stderr io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := c.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := stderr.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(stderr, opts))
}

// openDB connects to the configured database, or finds one (see localpg), applies
// the migrations and loads the reference geography.
func openDB(ctx context.Context, c *Config, log *slog.Logger) (*postgres.DB, error) {
	url := c.DatabaseURL
	if url == "" {
		srv, err := localpg.Find(ctx, log)
		if err != nil {
			return nil, err
		}
		if err := srv.EnsureDatabase(ctx, "prasan"); err != nil {
			return nil, fmt.Errorf("create database prasan: %w", err)
		}
		url = srv.URLFor("prasan")
		if srv.Private {
			log.InfoContext(ctx, "DATABASE_URL is not set: using a private PostgreSQL cluster", "data_dir", srv.DataDir, "database_url", postgres.RedactURL(url))
		} else {
			log.InfoContext(ctx, "DATABASE_URL is not set: using PostgreSQL on localhost", "database_url", postgres.RedactURL(url))
		}
	}
	return postgres.Open(ctx, c.db(url))
}

// openPrepared opens the database and brings it up to date (see prepare).
func openPrepared(ctx context.Context, c *Config, log *slog.Logger) (*postgres.DB, error) {
	db, err := openDB(ctx, c, log)
	if err != nil {
		return nil, err
	}
	if err := prepare(ctx, db, log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// prepare applies pending migrations and loads the reference geography.
func prepare(ctx context.Context, db *postgres.DB, log *slog.Logger) error {
	m, err := postgres.NewMigrator(db)
	if err != nil {
		return err
	}
	defer m.Close()
	n, err := m.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	log.InfoContext(ctx, "migrations applied", "count", n)
	ref, err := refdata.LoadAdminAreas()
	if err != nil {
		return err
	}
	loaded, err := postgres.LoadAdminAreas(ctx, db, ref)
	if err != nil {
		return err
	}
	if loaded {
		log.InfoContext(ctx, "reference geography loaded", "areas", len(ref.Areas))
	}
	return nil
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	withDemo := fs.Bool("demo", false, "load the demo data (idempotent) before serving")
	c.bind(fs, "database-url", "addr", "log-format", "log-level", "db-max-conns", "statement-timeout", "loader-wait", "shutdown-grace", "max-depth", "max-cost", "max-aliases", "rate-limit", "rate-limits", "otlp-endpoint", "audit-retention",
		"debug-addr", "auth-config", "local-key-file", "private-schema")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: prasan serve [--demo] [flags]\n\nRuns the hub. Applies pending migrations and loads the reference geography first.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	log := newLogger(&c, stderr)
	log.InfoContext(ctx, "starting prasan", "version", Version(), "config", c.logValue())
	tuneGarbageCollector()
	verifier, err := c.verifier(log)
	if err != nil {
		return err
	}
	db, err := openPrepared(ctx, &c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		start := time.Now()
		loaded, err := postgres.LoadDemo(ctx, db, demo.New())
		if err != nil {
			return err
		}
		log.InfoContext(ctx, "demo data ready", "loaded_now", loaded, "duration_ms", time.Since(start).Milliseconds())
	}
	stopTraces, err := tracing.Setup(ctx, c.OTLPEndpoint, Version())
	if err != nil {
		return fmt.Errorf("traces to %s: %w", c.OTLPEndpoint, err)
	}
	defer func() { _ = stopTraces(context.WithoutCancel(ctx)) }()
	rates, err := server.ParseRateLimits(c.RateLimit, c.RateLimits)
	if err != nil {
		return err
	}
	srv, err := server.New(db, log, server.Options{RateLimits: rates, LoaderWait: c.LoaderWait, Verifier: verifier, PrivateSchema: c.PrivateSchema,
		Limits: graph.Limits{MaxDepth: c.MaxDepth, MaxCost: c.MaxCost, MaxAliases: c.MaxAliases}})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	base := "http://" + displayAddr(ln.Addr().String())
	fmt.Fprintf(stdout, "\nPrasan is serving on %s\n  GraphQL IDE   %s/\n  GraphQL API   %s/graphql\n  Schema (SDL)  %s/schema.graphql\n",
		base, base, base, base)
	if *withDemo {
		if err := printDemoTokens(stdout, &c, base); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, "\nPress Ctrl-C to stop.")
	if c.AuditRetention > 0 {
		go pruneAudit(ctx, postgres.NewAuditStore(db), c.AuditRetention, log)
	}
	if c.DebugAddr != "" {
		if _, err := serveProfiler(c.DebugAddr, log); err != nil {
			return err
		}
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", c.ShutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownGrace)
	defer cancel()
	srv.CloseSubscriptions(sctx)
	return hs.Shutdown(sctx)
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "::" || host == "0.0.0.0" || host == "" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.bind(fs, "database-url", "log-format", "log-level")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: prasan migrate up|down|status [flags]\n\n  up      apply every pending migration and load the reference geography\n  down    roll back the latest migration\n  status  list migrations and whether each is applied\n\nFlags:")
		fs.PrintDefaults()
	}
	// The action may come before or after the flags.
	var action string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return parseError(err)
	}
	if action == "" && fs.NArg() == 1 {
		action = fs.Arg(0)
	} else if fs.NArg() > 0 {
		action = ""
	}
	if action != "up" && action != "down" && action != "status" {
		fs.Usage()
		return errUsage
	}
	log := newLogger(&c, stderr)
	db, err := openDB(ctx, &c, log)
	if err != nil {
		return err
	}
	defer db.Close()
	switch action {
	case "up":
		return prepare(ctx, db, log)
	case "down":
		m, err := postgres.NewMigrator(db)
		if err != nil {
			return err
		}
		defer m.Close()
		return m.Down(ctx)
	case "status":
		m, err := postgres.NewMigrator(db)
		if err != nil {
			return err
		}
		defer m.Close()
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%-8s %05d %s\n", state, s.Version, strings.TrimPrefix(s.Source, "./"))
		}
		return nil
	}
	fs.Usage()
	return errUsage
}

// pruneAudit removes the audit entries older than retention, now and every hour,
// until ctx ends.
func pruneAudit(ctx context.Context, trail *postgres.AuditStore, retention time.Duration, log *slog.Logger) {
	for {
		if n, err := trail.Prune(ctx, time.Now().Add(-retention), "retention"); err != nil {
			log.Error("audit retention: prune failed", "err", err)
		} else if n > 0 {
			log.Info("audit retention: pruned", "entries", n, "older_than", retention)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}
