// Package tracing sends OpenTelemetry traces to an OTLP endpoint when one is
// configured: a span per HTTP request, per GraphQL operation and per SQL
// statement. Without an endpoint it does nothing and costs nothing.
package tracing

import (
	"context"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Tracer is the hub's tracer (a no-op one until Setup installs a provider).
func Tracer() trace.Tracer { return otel.Tracer("github.com/prasan-hub/prasan") }

// Setup exports traces to the OTLP/HTTP endpoint (such as
// http://collector:4318); it returns the function that flushes and stops the
// export. An empty endpoint sets up nothing.
func Setup(ctx context.Context, endpoint, version string) (func(context.Context) error, error) {
	if endpoint == "" {
		return func(context.Context) error { return nil }, nil
	}
	// the endpoint is the collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT is:
	// traces go to its /v1/traces
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(strings.TrimRight(endpoint, "/")+"/v1/traces"))
	if err != nil {
		return nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(resource.NewSchemaless(
		attribute.String("service.name", "prasan"), attribute.String("service.version", version))))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	return tp.Shutdown, nil
}

// Middleware gives each request a span named by its route, continuing the
// client's trace (traceparent) when it sends one.
func Middleware(route func(path string) string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := otel.GetTextMapPropagator().Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := Tracer().Start(ctx, r.Method+" "+route(r.URL.Path), trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
		defer span.End()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
