package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// fieldArgs returns a field's arguments as parse (the field's generated parser)
// gives them from the field's arguments and the operation's variables, parsed once
// an operation for each field of its document (the generator, internal/gqlgen, calls
// it where gqlgen parsed them for every object). A field under a list — a village's
// plan(fiscalYear:) for each of fifty villages — has the same arguments for every
// element, and gqlgen parsed them again for each: a map of the raw arguments, the
// variables looked up, the value unmarshalled and boxed into a map of its own. The
// map returned is shared, and read only, like the field contexts that hold it. A
// parse that fails is not kept: each object reports its error, as before.
func fieldArgs(ctx context.Context, oc *graphql.OperationContext, field graphql.CollectedField,
	parse func(context.Context, map[string]any) (map[string]any, error)) (map[string]any, error) {
	parsed, _ := ctx.Value(parsedArgsKey{}).(*parsedArgs)
	if parsed == nil {
		return parse(ctx, field.ArgumentMap(oc.Variables))
	}
	parsed.mu.Lock()
	args, ok := parsed.byField[field.Field]
	parsed.mu.Unlock()
	if ok {
		return args, nil
	}
	args, err := parse(ctx, field.ArgumentMap(oc.Variables))
	if err != nil {
		return nil, err
	}
	parsed.mu.Lock()
	parsed.byField[field.Field] = args
	parsed.mu.Unlock()
	return args, nil
}

// parsedArgs is an operation's record of the arguments parsed, by field of its
// document (fields merged from several selections share their arguments: the
// document was validated).
type parsedArgs struct {
	mu      sync.Mutex
	byField map[*ast.Field]map[string]any
}

type parsedArgsKey struct{}

// withParsedArgs gives an operation its record of the arguments parsed.
func withParsedArgs(ctx context.Context) context.Context {
	return context.WithValue(ctx, parsedArgsKey{}, &parsedArgs{byField: map[*ast.Field]map[string]any{}})
}
