package ingest

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSON encodes the values exactly as json.Marshal does — keys in order, strings
// escaped alike (HTML characters included) — so that a record's digest stays what
// it was, without json.Marshal's reflection over the map: about a quarter of the
// CPU prasan import spent on a national file.
func (v Values) JSON() []byte {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]byte, 0, 32*len(keys)+2)
	out = append(out, '{')
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(appendJSONString(out, k), ':')
		switch x := v[k].(type) {
		case string:
			out = appendJSONString(out, x)
		case int:
			out = strconv.AppendInt(out, int64(x), 10)
		case bool:
			out = strconv.AppendBool(out, x)
		default:
			b, _ := json.Marshal(x)
			out = append(out, b...)
		}
	}
	return append(out, '}')
}

// appendJSONString appends s as json.Marshal writes it: as it is, between quotes,
// when it holds nothing json.Marshal escapes, else as json.Marshal writes it.
func appendJSONString(out []byte, s string) []byte {
	if writtenAsIs(s) {
		return append(append(append(out, '"'), s...), '"')
	}
	b, _ := json.Marshal(s)
	return append(out, b...)
}

// writtenAsIs reports whether json.Marshal writes s between quotes unchanged: no
// control character, quote, backslash or HTML character (<, >, &), valid UTF-8,
// and neither line nor paragraph separator (U+2028, U+2029).
func writtenAsIs(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20, b == '"', b == '\\', b == '<', b == '>', b == '&':
			return false
		}
	}
	return utf8.ValidString(s) && !strings.ContainsRune(s, '\u2028') && !strings.ContainsRune(s, '\u2029')
}
