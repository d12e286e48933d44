// Command gqlgen generates the GraphQL layer (graph/*.generated.go) from the schema:
// gqlgen's own generate with the repository's gqlgen.yml, then seven rewrites of its
// output, each sparing gqlgen's per-object or per-field work on the hot paths (below,
// one by one). Run it from the repository's root after changing schema/*.graphqls or
// gqlgen.yml:
//
//	go run ./internal/gqlgen
//
// The first: gqlgen marshals the elements of a list of objects each in a
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
//
// And a third: a scalar or enum field read straight from its object's Go struct
// field (no resolver, no method) cannot fail, yet gqlgen resolves it like any
// other — a field context, a context carrying it, the value boxed, closures for
// the field middleware — five to six allocations for every such field of every
// object, about a sixth of a village page's. The rewrite marshals the struct
// field's value directly. The hub registers no field middleware (AroundFields);
// one added later would not see these fields.
//
// And a fourth: an object, once its fields are resolved, is written by
// graph.objectFields rather than by gqlgen's FieldSet (see there why).
//
// And a fifth: an object's resolver fields are resolved in order on the caller's
// goroutine (graph.resolveInOrder; see there why) rather than each in a goroutine
// of its own.
//
// And a sixth: an object's fields are collected by graph.collectFields, which keeps
// them across requests where no directive can change them (see there), rather
// than by graphql.CollectFields afresh for every request.
//
// And a seventh: a field's arguments are parsed by graph.fieldArgs, once an
// operation for each field of its document, rather than for every object.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen/config"
	"golang.org/x/tools/imports"
)

// concurrentList is gqlgen's call marshalling a list's elements concurrently (its
// arguments after the length: the worker limit and whether to skip the panic
// handler, from gqlgen.yml).
var concurrentList = regexp.MustCompile(`graphql\.MarshalSliceConcurrently\(ctx, len\(v\), \d+, (?:true|false), `)

// deferredGroup is gqlgen's preparation of an object's group of @defer'd fields,
// after its fields are collected (into fields).
var deferredGroup = regexp.MustCompile(`(out := graphql\.NewFieldSet\(fields\)\n\s*)deferred := graphql\.NewDeferredGroup\(ctx\)`)

// collectCall is gqlgen's collection of an object's fields from its selection set.
var collectCall = regexp.MustCompile(`graphql\.CollectFields\(ec\.OperationContext, `)

// argsParsed is gqlgen's parsing of a field's arguments, for every object; the
// parser's name.
var argsParsed = regexp.MustCompile(`ec\.(field_\w+_args)\(ctx, field\.ArgumentMap\(ec\.Variables\)\)`)

// plainField is gqlgen's resolution of a field read from its object's struct field:
// the object and field names, the object's Go type, the struct field, the value's Go
// type and the function marshalling it.
var plainField = regexp.MustCompile(`func \(ec \*executionContext\) _(\w+)_(\w+)\(ctx context\.Context, field graphql\.CollectedField, obj (\*[\w.]+)\) \(ret graphql\.Marshaler\) \{
	return graphql\.ResolveField\(
		ctx,
		ec\.OperationContext,
		field,
		func\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{
			return ec\.fieldContext_\w+\(ctx, field\)
		\},
		func\(ctx context\.Context\) \(any, error\) \{
			return obj\.(\w+), nil
		\},
		nil,
		func\(ctx context\.Context, selections ast\.SelectionSet, v ([^)]+)\) graphql\.Marshaler \{
			return ec\.(marshal[^(\s]+)\(ctx, selections, v\)
		\},
		true,
		(?:true|false),
	\)
}`)

// directPlainFields rewrites, in one generated file, the plain fields whose value
// marshals without a field context: the field is a scalar or an enum (its field
// context is gqlgen's scalar one: no children) and its value is not a list, nor a
// pointer marshalled as non-null (a nil one is an error reported at the field's
// path). It returns the file and how many fields it rewrote.
func directPlainFields(src []byte) ([]byte, int) {
	n := 0
	out := plainField.ReplaceAllFunc(src, func(m []byte) []byte {
		g := plainField.FindSubmatch(m)
		object, field, objType, structField, valueType, marshal := g[1], g[2], g[3], g[4], g[5], g[6]
		scalarContext := fmt.Sprintf("func (ec *executionContext) fieldContext_%s_%s(_ context.Context, field graphql.CollectedField) (fc *graphql.FieldContext, err error) {\n\treturn graphql.NewScalarFieldContext(", object, field)
		switch {
		case !bytes.Contains(src, []byte(scalarContext)),
			bytes.HasPrefix(valueType, []byte("[]")),
			bytes.HasPrefix(valueType, []byte("*")) && bytes.HasPrefix(marshal, []byte("marshalN")):
			return m
		}
		n++
		return fmt.Appendf(nil, "func (ec *executionContext) _%s_%s(ctx context.Context, field graphql.CollectedField, obj %s) (ret graphql.Marshaler) {\n\treturn ec.%s(ctx, field.Selections, obj.%s)\n}", object, field, objType, marshal, structField)
	})
	return out, n
}

// concurrentField is gqlgen's scheduling of an object's resolver field to run
// concurrently with the others (its arguments after the index: the panic guard,
// non-null, the resolver).
var concurrentField = regexp.MustCompile(`out\.ResolveConcurrently\(ec\.OperationContext, &deferred, i,`)

// fieldSetReturned is the end of gqlgen's marshalling of an object: the field set
// returned once its deferred fields are sent on their way.
var fieldSetReturned = regexp.MustCompile(`(\t\tec\.ProcessDeferredGroup\(deferred\)\n\t\}\n\n)\treturn out\n\}`)

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
	lists, groups, plain, objects, concurrent, collects, args := 0, 0, 0, 0, 0, 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		n, m := len(concurrentList.FindAllIndex(b, -1)), len(deferredGroup.FindAllIndex(b, -1))
		o := len(fieldSetReturned.FindAllIndex(b, -1))
		c := len(concurrentField.FindAllIndex(b, -1))
		k := len(collectCall.FindAllIndex(b, -1))
		a := len(argsParsed.FindAllIndex(b, -1))
		b, p := directPlainFields(b)
		if n+m+p+o+c+k+a == 0 {
			continue
		}
		lists, groups, plain, objects, concurrent, collects, args = lists+n, groups+m, plain+p, objects+o, concurrent+c, collects+k, args+a
		b = argsParsed.ReplaceAll(b, []byte("fieldArgs(ctx, ec.OperationContext, field, ec.${1})"))
		b = collectCall.ReplaceAll(b, []byte("collectFields(ec.OperationContext, "))
		b = concurrentField.ReplaceAll(b, []byte("resolveInOrder(ctx, ec.OperationContext, out, &deferred, field, i,"))
		b = fieldSetReturned.ReplaceAll(b, []byte("${1}\treturn objectFields{fields, out.Values}\n}"))
		b = concurrentList.ReplaceAll(b, []byte("marshalInOrder(ctx, len(v), "))
		b = deferredGroup.ReplaceAll(b, []byte("${1}deferred := deferredGroupFor(ctx, fields)"))
		// a value's type may have been named only in the rewritten fields
		if b, err = imports.Process(f, b, nil); err != nil {
			return err
		}
		if err := os.WriteFile(f, b, 0o644); err != nil {
			return err
		}
	}
	if lists == 0 || groups == 0 || plain == 0 || objects != groups || concurrent == 0 || collects < objects || args == 0 {
		// gqlgen's generated code changed shape: say so rather than silently
		// generate without the rewrites
		return fmt.Errorf("found %d lists, %d deferred groups, %d plain fields, %d objects returned, %d concurrent fields, %d collections of fields and %d parsings of arguments to rewrite in %s: check internal/gqlgen against this gqlgen version", lists, groups, plain, objects, concurrent, collects, args, cfg.Exec.Dir())
	}
	return nil
}
