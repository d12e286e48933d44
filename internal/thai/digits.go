package thai

import (
	"strings"
	"unicode/utf8"
)

// Digits returns s with every Thai digit (๐–๙) replaced by its Arabic digit.
// Other characters are kept.
func Digits(s string) string {
	if !hasThaiDigit(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= '๐' && r <= '๙' {
			b.WriteByte(byte('0' + (r - '๐')))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hasThaiDigit(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= '๐' && r <= '๙' {
			return true
		}
		i += n
	}
	return false
}

// Number normalises a typed number: Thai digits become Arabic, surrounding spaces
// are trimmed and thousands separators (",") and inner spaces are removed.
// It does not check that the result is a number.
func Number(s string) string {
	s = strings.TrimSpace(Digits(s))
	if strings.ContainsAny(s, ", \u00a0") {
		s = strings.NewReplacer(",", "", " ", "", "\u00a0", "").Replace(s)
	}
	return s
}
