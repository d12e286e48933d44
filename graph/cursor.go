package graph

import (
	"encoding/base64"

	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/postgres"
)

// Page sizes: the default when `first` is left out, and the most one page may hold.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Cursors are the store's sort key of an item, base64url encoded so that clients
// treat them as opaque.

func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

// page checks first and after and turns them into a store page.
func page(first *int, after *string) (postgres.Page, error) {
	p := postgres.Page{First: DefaultPageSize}
	if first != nil {
		if *first < 0 || *first > MaxPageSize {
			return p, apperr.Invalid("first", "first must be between 0 and %d, got %d", MaxPageSize, *first)
		}
		p.First = *first
	}
	if after != nil && *after != "" {
		b, err := base64.RawURLEncoding.DecodeString(*after)
		if err != nil || len(b) == 0 {
			return p, apperr.Invalid("after", "the cursor is not valid; pass an endCursor returned by the same list")
		}
		p.After = string(b)
	}
	return p, nil
}
