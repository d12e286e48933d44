package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// errorPresenter is the one place where errors become what clients see: application
// errors keep their message and get extensions.code (and extensions.field for bad
// input); errors gqlgen raised itself (parse, validation) keep theirs; anything else
// is logged once and shown as INTERNAL without detail.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if ae, ok := apperr.As(err); ok {
			gqlErr.Message = ae.Error()
			gqlErr.Err = nil
			ext := map[string]any{"code": string(ae.Code)}
			field := ae.Field
			if field == "" && ae.Code == apperr.BadUserInput {
				field, gqlErr.Path = argumentPath(ctx, gqlErr.Path)
			}
			if field != "" {
				ext["field"] = field
			}
			gqlErr.Extensions = ext
			return gqlErr
		}
		if _, ok := gqlErr.Extensions["code"]; ok {
			return gqlErr // parse and validation errors from gqlgen
		}
		var inner *gqlerror.Error
		if errors.As(err, &inner) && inner.Err == nil && inner.Rule != "" {
			return gqlErr
		}
		log.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String())
		return &gqlerror.Error{
			Message:    "internal error",
			Path:       gqlErr.Path,
			Locations:  gqlErr.Locations,
			Extensions: map[string]any{"code": string(apperr.Internal)},
		}
	}
}

// recoverFunc turns a panic in a resolver into an internal error, logged with its
// stack.
func recoverFunc(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errors.New("panic in resolver")
	}
}

// argumentPath names the argument or input field an input error is about: an error
// raised while reading arguments carries the field's path followed by the argument's
// (["villagePlan", "fiscalYear"]); this returns the part after the field's path
// ("fiscalYear", "input.dueOn", "ids[2]"). The path is then trimmed to the field's.
func argumentPath(ctx context.Context, path ast.Path) (string, ast.Path) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return "", path
	}
	fieldPath := fc.Path()
	if len(path) <= len(fieldPath) {
		return "", path
	}
	var b strings.Builder
	for _, el := range path[len(fieldPath):] {
		switch el := el.(type) {
		case ast.PathName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(el))
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(el))
		}
	}
	return b.String(), path[:len(fieldPath)]
}
