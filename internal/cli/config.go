package cli

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// Config is everything the binary reads from flags and the environment. Every flag
// has an environment variable; a flag given on the command line wins.
type Config struct {
	DatabaseURL      string
	Addr             string
	LogFormat        string
	LogLevel         string
	DBMaxConns       int
	StatementTimeout time.Duration
	LoaderWait       time.Duration
	ShutdownGrace    time.Duration
	AuthConfig       string
	LocalKeyFile     string
	PrivateSchema    bool
	MaxDepth         int
	MaxCost          int
	MaxAliases       int
	RateLimit        float64
	RateLimits       string
	OTLPEndpoint     string
	AuditRetention   time.Duration
	DebugAddr        string
}

// setting describes one configuration entry, for flags, the environment and docs.
type setting struct {
	flag, env, def, help string
}

var settings = []setting{
	{"database-url", "DATABASE_URL", "", "PostgreSQL URL; empty: PostgreSQL on 127.0.0.1:5432 (database prasan), else a private cluster started with initdb"},
	{"addr", "PRASAN_ADDR", "127.0.0.1:8080", "address to listen on (use :8080 to listen on every interface)"},
	{"log-format", "PRASAN_LOG_FORMAT", "auto", "log format: text, json, or auto (text on a terminal, JSON otherwise)"},
	{"log-level", "PRASAN_LOG_LEVEL", "info", "log level: debug, info, warn, error"},
	{"db-max-conns", "PRASAN_DB_MAX_CONNS", "0", "largest number of database connections (0: the larger of 4 and the number of CPUs)"},
	{"statement-timeout", "PRASAN_STATEMENT_TIMEOUT", "10s", "longest a single SQL statement may run"},
	{"loader-wait", "PRASAN_LOADER_WAIT", "500us", "how long batch loaders wait to gather keys"},
	{"shutdown-grace", "PRASAN_SHUTDOWN_GRACE", "20s", "how long in-flight requests may take to finish on SIGTERM"},
	{"auth-config", "PRASAN_AUTH_CONFIG", "", "JSON file of trusted token issuers; empty: only the local issuer (HS256, --local-key-file)"},
	{"local-key-file", "PRASAN_LOCAL_KEY_FILE", "", "secret of the local token issuer, created if missing (empty: prasan/local-hs256.key in the user's config folder)"},
	{"private-schema", "PRASAN_PRIVATE_SCHEMA", "false", "require a token for /schema.graphql too"},
	{"max-depth", "PRASAN_MAX_DEPTH", "12", "deepest nesting of fields a query may have"},
	{"max-cost", "PRASAN_MAX_COST", "500000", "highest estimated cost of a query (each field 1; a list's selection counted per item: `first`, else 10)"},
	{"max-aliases", "PRASAN_MAX_ALIASES", "30", "most aliased fields a query may have"},
	{"rate-limit", "PRASAN_RATE_LIMIT", "50", "requests a second each caller (subject and role) may make, bursts of twice that; 0: no limit"},
	{"audit-retention", "PRASAN_AUDIT_RETENTION", "0s", "how long audit entries are kept (pruned hourly from the oldest end, e.g. 8760h); 0: for ever"},
	{"otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "", "OTLP/HTTP endpoint to send traces to, such as http://collector:4318; empty: no traces"},
	{"debug-addr", "PRASAN_DEBUG_ADDR", "", "address of a separate listener for Go's profiler (/debug/pprof/), such as 127.0.0.1:6060; empty: none"},
	{"rate-limits", "PRASAN_RATE_LIMITS", "", "per-role rates overriding --rate-limit, such as partner=10,viewer=100 (0: no limit)"},
}

// bind registers the settings named on fs, with defaults from the environment.
func (c *Config) bind(fs *flag.FlagSet, names ...string) {
	for _, s := range settings {
		for _, n := range names {
			if n != s.flag {
				continue
			}
			def := s.def
			if v, ok := os.LookupEnv(s.env); ok {
				def = v
			}
			help := fmt.Sprintf("%s (env %s)", s.help, s.env)
			switch s.flag {
			case "database-url":
				fs.StringVar(&c.DatabaseURL, s.flag, def, help)
			case "addr":
				fs.StringVar(&c.Addr, s.flag, def, help)
			case "log-format":
				fs.StringVar(&c.LogFormat, s.flag, def, help)
			case "log-level":
				fs.StringVar(&c.LogLevel, s.flag, def, help)
			case "db-max-conns":
				n, _ := strconv.Atoi(def)
				fs.IntVar(&c.DBMaxConns, s.flag, n, help)
			case "statement-timeout":
				fs.DurationVar(&c.StatementTimeout, s.flag, mustDuration(def, s.env), help)
			case "loader-wait":
				fs.DurationVar(&c.LoaderWait, s.flag, mustDuration(def, s.env), help)
			case "shutdown-grace":
				fs.DurationVar(&c.ShutdownGrace, s.flag, mustDuration(def, s.env), help)
			case "auth-config":
				fs.StringVar(&c.AuthConfig, s.flag, def, help)
			case "local-key-file":
				fs.StringVar(&c.LocalKeyFile, s.flag, def, help)
			case "max-depth", "max-cost", "max-aliases":
				n, _ := strconv.Atoi(def)
				fs.IntVar(map[string]*int{"max-depth": &c.MaxDepth, "max-cost": &c.MaxCost, "max-aliases": &c.MaxAliases}[s.flag], s.flag, n, help)
			case "rate-limit":
				n, _ := strconv.ParseFloat(def, 64)
				fs.Float64Var(&c.RateLimit, s.flag, n, help)
			case "audit-retention":
				fs.DurationVar(&c.AuditRetention, s.flag, mustDuration(def, s.env), help)
			case "otlp-endpoint":
				fs.StringVar(&c.OTLPEndpoint, s.flag, def, help)
			case "rate-limits":
				fs.StringVar(&c.RateLimits, s.flag, def, help)
			case "debug-addr":
				fs.StringVar(&c.DebugAddr, s.flag, def, help)
			case "private-schema":
				b, _ := strconv.ParseBool(def)
				fs.BoolVar(&c.PrivateSchema, s.flag, b, help)
			}
		}
	}
}

func mustDuration(s, env string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		fmt.Fprintf(os.Stderr, "prasan: %s=%q is not a duration (such as 10s or 500us); using 0\n", env, s)
	}
	return d
}

func (c *Config) db(url string) postgres.Config {
	return postgres.Config{URL: url, MaxConns: int32(c.DBMaxConns), StatementTimeout: c.StatementTimeout}
}

// logValue logs the configuration with the database password masked.
func (c *Config) logValue() slog.Value {
	url := "(default)"
	if c.DatabaseURL != "" {
		url = postgres.RedactURL(c.DatabaseURL)
	}
	return slog.GroupValue(
		slog.String("database_url", url), slog.String("addr", c.Addr), slog.String("log_format", c.LogFormat),
		slog.String("log_level", c.LogLevel), slog.Int("db_max_conns", c.DBMaxConns),
		slog.Duration("statement_timeout", c.StatementTimeout), slog.Duration("loader_wait", c.LoaderWait),
		slog.Duration("shutdown_grace", c.ShutdownGrace), slog.String("auth_config", c.AuthConfig),
		slog.String("local_key_file", c.localKeyFile()), slog.Bool("private_schema", c.PrivateSchema))
}

func (c *Config) localKeyFile() string {
	if c.LocalKeyFile != "" {
		return c.LocalKeyFile
	}
	return auth.DefaultLocalKeyFile()
}

// verifier loads the trusted issuers. Without a config file the local issuer is the
// only one, and its secret is created on first use.
func (c *Config) verifier(log *slog.Logger) (*auth.Verifier, error) {
	if c.AuthConfig == "" {
		created, err := auth.EnsureLocalKey(c.localKeyFile())
		if err != nil {
			return nil, fmt.Errorf("local token key: %w", err)
		}
		if created {
			log.Info("created the local token key", "local_key_file", c.localKeyFile())
		}
	}
	ac, err := auth.LoadConfig(c.AuthConfig, c.localKeyFile())
	if err != nil {
		return nil, err
	}
	return auth.NewVerifier(ac, nil, nil)
}
