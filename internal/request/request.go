// Package request carries what the HTTP layer knows of a request — its id and the
// client's address — to the layers below it (logs, the audit trail).
package request

import "context"

// Info is what is known of a request.
type Info struct {
	ID         string
	ClientAddr string
}

type key struct{}

// With returns ctx carrying info.
func With(ctx context.Context, info Info) context.Context { return context.WithValue(ctx, key{}, info) }

// From returns the request info ctx carries (zero when none).
func From(ctx context.Context) Info {
	i, _ := ctx.Value(key{}).(Info)
	return i
}
