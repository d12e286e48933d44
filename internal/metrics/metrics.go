// Package metrics keeps the hub's Prometheus metrics: requests by operation and
// outcome, latency, SQL statements per request, the database pool, open
// subscriptions, rows imported and requests refused by the rate limit.
package metrics

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one server's metrics, in a registry of their own.
type Metrics struct {
	registry    *prometheus.Registry
	operations  *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	requests    *prometheus.CounterVec
	statements  prometheus.Histogram
	importRows  *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
}

// New registers the metrics, with gauges of pool and of the subscriptions open
// read at each scrape.
func New(pool *pgxpool.Pool, subscriptions func() int) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.operations = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "prasan_graphql_operations_total",
		Help: "GraphQL operations by type, name and outcome (ok, error, refused)."}, []string{"type", "operation", "outcome"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "prasan_graphql_operation_duration_seconds",
		Help: "Time to answer a GraphQL operation, by type.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}},
		[]string{"type"})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "prasan_http_requests_total",
		Help: "HTTP requests by route and status code."}, []string{"route", "code"})
	m.statements = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "prasan_sql_statements_per_request",
		Help: "SQL statements run for one HTTP request.", Buckets: []float64{0, 1, 2, 4, 8, 12, 16, 24, 32, 64}})
	m.importRows = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "prasan_import_rows_total",
		Help: "Records received in batches and files, by kind and whether the batch was applied."}, []string{"kind", "applied"})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "prasan_rate_limited_total",
		Help: "Requests refused by the rate limit, by role."}, []string{"role"})
	subs := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "prasan_subscriptions_open", Help: "GraphQL subscriptions open."},
		func() float64 { return float64(subscriptions()) })
	gauge := func(name, help string, value func(*pgxpool.Stat) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 { return value(poolStat(pool)) })
	}
	m.registry.MustRegister(m.operations, m.latency, m.requests, m.statements, m.importRows, m.rateLimited, subs,
		gauge("prasan_db_pool_acquired_connections", "Database connections in use.", func(s *pgxpool.Stat) float64 { return float64(s.AcquiredConns()) }),
		gauge("prasan_db_pool_idle_connections", "Database connections idle.", func(s *pgxpool.Stat) float64 { return float64(s.IdleConns()) }),
		gauge("prasan_db_pool_max_connections", "Most database connections the pool opens.", func(s *pgxpool.Stat) float64 { return float64(s.MaxConns()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "prasan_db_pool_acquire_waits_total", Help: "Times a request waited for a database connection."},
			func() float64 { return float64(poolStat(pool).EmptyAcquireCount()) }),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func poolStat(p *pgxpool.Pool) *pgxpool.Stat {
	if p == nil {
		return &pgxpool.Stat{}
	}
	return p.Stat()
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Operation counts a GraphQL operation and its time.
func (m *Metrics) Operation(typ, name, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.operations.WithLabelValues(typ, name, outcome).Inc()
	m.latency.WithLabelValues(typ).Observe(took.Seconds())
}

// Request counts an HTTP request and the statements it ran.
func (m *Metrics) Request(route string, code int, statements int64) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, http.StatusText(code)).Inc()
	m.statements.Observe(float64(statements))
}

// ImportRows counts the records of a batch.
func (m *Metrics) ImportRows(kind string, rows int, applied bool) {
	if m == nil {
		return
	}
	a := "false"
	if applied {
		a = "true"
	}
	m.importRows.WithLabelValues(kind, a).Add(float64(rows))
}

// RateLimited counts a refused request.
func (m *Metrics) RateLimited(role string) {
	if m != nil {
		m.rateLimited.WithLabelValues(role).Inc()
	}
}
