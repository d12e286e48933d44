// Package scalar marshals the schema's custom scalars: Decimal, Date, DateTime and
// FiscalYear. Inputs accept what people type (Thai digits, Buddhist-Era years);
// outputs are always canonical.
package scalar

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prasan-hub/prasan/internal/apperr"
	"github.com/prasan-hub/prasan/internal/thai"
	"github.com/shopspring/decimal"
)

// MarshalDecimal writes a decimal as a JSON string, such as "1250000.50".
func MarshalDecimal(d decimal.Decimal) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(d.StringFixed(2)))
	})
}

// UnmarshalDecimal reads a decimal from a string (Thai digits and thousands
// separators allowed) or a JSON number without exponent.
func unmarshalDecimal(v any) (decimal.Decimal, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = thai.Number(x)
	case json.Number:
		s = x.String()
	case int64:
		return decimal.NewFromInt(x), nil
	case int:
		return decimal.NewFromInt(int64(x)), nil
	default:
		return decimal.Decimal{}, fmt.Errorf("a Decimal is a string such as \"1250000.50\", got %T", v)
	}
	for _, r := range s {
		if r == 'e' || r == 'E' {
			return decimal.Decimal{}, fmt.Errorf("%q: exponents are not allowed in a Decimal", s)
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%q is not a decimal number", s)
	}
	return d, nil
}

// MarshalDate writes a date as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.Format(time.DateOnly)))
	})
}

// UnmarshalDate reads an ISO date or a Thai-style date with a Buddhist-Era year.
func unmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("a Date is a string such as \"2021-01-25\", got %T", v)
	}
	return thai.ParseDate(s)
}

// Bangkok is Thailand's time zone, in which instants are written.
var Bangkok = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Bangkok"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*60*60)
}()

// MarshalDateTime writes an instant as RFC 3339 in Thailand's time zone.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.In(Bangkok).Format(time.RFC3339)))
	})
}

// UnmarshalDateTime reads an RFC 3339 instant; the offset is required.
func unmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("a DateTime is a string such as \"2021-01-21T14:00:00+07:00\", got %T", v)
	}
	t, err := time.Parse(time.RFC3339, thai.Digits(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time with offset, such as 2021-01-21T14:00:00+07:00", s)
	}
	return t, nil
}

// MarshalFiscalYear writes a fiscal year as an integer.
func MarshalFiscalYear(y int) graphql.Marshaler {
	return graphql.MarshalInt(y)
}

// UnmarshalFiscalYear reads a Buddhist-Era fiscal year from an integer or a string
// with Arabic or Thai digits.
func unmarshalFiscalYear(v any) (int, error) {
	switch x := v.(type) {
	case string:
		return thai.ParseFiscalYear(x)
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			return 0, fmt.Errorf("%s is not a fiscal year", x)
		}
		return thai.CheckFiscalYear(int(n))
	case int64:
		return thai.CheckFiscalYear(int(x))
	case int:
		return thai.CheckFiscalYear(x)
	case float64:
		if x != float64(int(x)) {
			return 0, errors.New("a fiscal year is a whole number")
		}
		return thai.CheckFiscalYear(int(x))
	}
	return 0, fmt.Errorf("a FiscalYear is an integer such as 2564, got %T", v)
}

// Input errors are BAD_USER_INPUT; the error presenter names the field.
func bad[T any](v T, err error) (T, error) {
	if err != nil {
		return v, &apperr.Error{Code: apperr.BadUserInput, Message: err.Error()}
	}
	return v, nil
}

// UnmarshalDecimal reads a Decimal input.
func UnmarshalDecimal(v any) (decimal.Decimal, error) { return bad(unmarshalDecimal(v)) }

// UnmarshalDate reads a Date input.
func UnmarshalDate(v any) (time.Time, error) { return bad(unmarshalDate(v)) }

// UnmarshalDateTime reads a DateTime input.
func UnmarshalDateTime(v any) (time.Time, error) { return bad(unmarshalDateTime(v)) }

// UnmarshalFiscalYear reads a FiscalYear input.
func UnmarshalFiscalYear(v any) (int, error) { return bad(unmarshalFiscalYear(v)) }
