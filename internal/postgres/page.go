package postgres

import (
	"strconv"
	"strings"

	"github.com/prasan-hub/prasan/internal/apperr"
)

// Page asks for up to First items after the item whose sort key is After (empty for
// the first page). Stores fetch First+1 rows so callers can tell if more follow.
type Page struct {
	First int
	After string
}

// limit is the number of rows to fetch: one more than asked, to see the next page.
func (p Page) limit() int { return p.First + 1 }

// afterParts splits a compound sort key "a|b" into n parts.
func (p Page) afterParts(n int) ([]string, error) {
	parts := strings.Split(p.After, "|")
	if len(parts) != n {
		return nil, badCursor()
	}
	return parts, nil
}

func badCursor() error {
	return apperr.Invalid("after", "the cursor is not valid for this list; pass an endCursor returned by the same list")
}

// afterInt64 reads a numeric cursor part.
func afterInt64(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, badCursor()
	}
	return n, nil
}

// Key joins the parts of a compound sort key, for the cursor of an item.
func Key(parts ...string) string { return strings.Join(parts, "|") }
