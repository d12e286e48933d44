package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/internal/apperr"
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
			if ae.Field != "" {
				ext["field"] = ae.Field
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
