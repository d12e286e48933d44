// Command gqlgen generates the GraphQL layer (graph/*.generated.go) from the schema:
// gqlgen's own generate with the repository's gqlgen.yml, then one rewrite of its
// output. Run it from the repository's root after changing schema/*.graphqls or
// gqlgen.yml:
//
//	go run ./internal/gqlgen
//
// The rewrite: gqlgen marshals the elements of a list of objects each in a
// goroutine of its own. Every read of the database below a list goes through the
// level loading of graph/level.go, which fetches a whole level when its first
// object asks, so the goroutines buy no overlap of reads; they cost a goroutine, a
// field context and — most of it — growing a fresh goroutine's stack through
// gqlgen's deep generated frames, for every element (a quarter to half of the
// server's CPU on the benchmarks' lists). The rewrite marshals such lists in order
// on the caller's goroutine (graph.marshalInOrder; a long list in one run of
// consecutive elements per processor); the fields of one object still resolve
// concurrently.
//
// And a second: for every object gqlgen prepares a group for its @defer'd fields —
// the object's whole path from the root, a field set and a map — whether or not the
// operation defers anything; the rewrite prepares it only for an object with a
// deferred field (graph.deferredGroupFor).
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen/config"
)

// concurrentList is gqlgen's call marshalling a list's elements concurrently (its
// arguments after the length: the worker limit and whether to skip the panic
// handler, from gqlgen.yml).
var concurrentList = regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), \d+, (?:true|false), `)

// deferredGroup is gqlgen's preparation of an object's group of @defer'd fields,
// after its fields are collected (into fields).
var deferredGroup = regexp.MustCompile(`(out := graphql\.NewFieldSet\(fields\)\n\s*)deferred := graphql\.NewDeferredGroup\(ctx\)`)

func main() {
	if err := generate(); err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(1)
	}
}

func generate() error {
	cfg, err := config.LoadConfigFromDefaultLocations()
	if err != nil {
		return err
	}
	if err := api.Generate(cfg); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(cfg.Exec.Dir(), "*.generated.go"))
	if err != nil {
		return err
	}
	lists, groups := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		n, m := len(concurrentList.FindAllIndex(b, -1)), len(deferredGroup.FindAllIndex(b, -1))
		if n+m == 0 {
			continue
		}
		lists, groups = lists+n, groups+m
		b = concurrentList.ReplaceAll(b, []byte("marshalInOrder(ctx, len(v), "))
		b = deferredGroup.ReplaceAll(b, []byte("${1}deferred := deferredGroupFor(ctx, fields)"))
		if err := os.WriteFile(f, b, 0o644); err != nil {
			return err
		}
	}
	if lists == 0 || groups == 0 {
		// gqlgen's generated code changed shape: say so rather than silently
		// generate without the rewrites
		return fmt.Errorf("found %d lists and %d deferred groups to rewrite in %s: check internal/gqlgen against this gqlgen version", lists, groups, cfg.Exec.Dir())
	}
	return nil
}
