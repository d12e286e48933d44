package graph

import (
	"context"
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestFieldArgs_ParsedOnceAnOperationForEachField holds that a field's arguments are
// parsed once an operation however many objects ask, separately for each field of
// the document and for each operation, and that a failed parse is not kept.
func TestFieldArgs_ParsedOnceAnOperationForEachField(t *testing.T) {
	// plan(fiscalYear: $year), asked twice under two aliases
	planField := func(alias string) *ast.Field {
		return &ast.Field{Alias: alias, Name: "plan",
			Arguments:  ast.ArgumentList{{Name: "fiscalYear", Value: &ast.Value{Kind: ast.Variable, Raw: "year"}}},
			Definition: &ast.FieldDefinition{Name: "plan", Arguments: ast.ArgumentDefinitionList{{Name: "fiscalYear", Type: ast.NonNullNamedType("Int", nil)}}}}
	}
	plan, next := planField("plan"), planField("next")
	parses := 0
	parse := func(_ context.Context, raw map[string]any) (map[string]any, error) {
		parses++
		if raw["fiscalYear"] == "bad" {
			return nil, errors.New("not a fiscal year")
		}
		return map[string]any{"fiscalYear": raw["fiscalYear"]}, nil
	}
	operation := func(year any) (context.Context, *graphql.OperationContext) {
		return withParsedArgs(context.Background()), &graphql.OperationContext{Variables: map[string]any{"year": year}}
	}

	ctx, oc := operation(2564)
	for range 50 { // the villages of a page
		for _, f := range []*ast.Field{plan, next} {
			args, err := fieldArgs(ctx, oc, graphql.CollectedField{Field: f}, parse)
			if err != nil || args["fiscalYear"] != 2564 {
				t.Fatalf("%s: %v, %v", f.Alias, args, err)
			}
		}
	}
	if parses != 2 {
		t.Errorf("two fields asked by fifty objects: parsed %d times, want 2", parses)
	}

	ctx, oc = operation(2565) // another operation, other variables
	if args, _ := fieldArgs(ctx, oc, graphql.CollectedField{Field: plan}, parse); args["fiscalYear"] != 2565 || parses != 3 {
		t.Errorf("another operation: %v after %d parses", args, parses)
	}

	ctx, oc = operation("bad")
	for range 3 {
		if _, err := fieldArgs(ctx, oc, graphql.CollectedField{Field: plan}, parse); err == nil {
			t.Error("a bad argument parsed")
		}
	}
	if parses != 6 {
		t.Errorf("a failed parse was kept: %d parses, want 6", parses)
	}
}
