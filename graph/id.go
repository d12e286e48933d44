package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/prasan-hub/prasan/internal/apperr"
)

// Global ids are "Type:key" encoded as unpadded base64url: opaque to clients, stable,
// and decodable without a lookup.

func globalID(typ, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

func globalIntID(typ string, id int64) string { return globalID(typ, strconv.FormatInt(id, 10)) }

// parseGlobalID splits a global id into its type and key.
func parseGlobalID(field, id string) (typ, key string, err error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(id, "="))
	if err == nil {
		var ok bool
		typ, key, ok = strings.Cut(string(b), ":")
		if ok && typ != "" && key != "" {
			return typ, key, nil
		}
	}
	return "", "", apperr.Invalid(field, "%q is not a valid id", id)
}

// parseIntID reads the numeric key of a global id of the expected type.
func parseIntID(field, id, wantType string) (int64, error) {
	typ, key, err := parseGlobalID(field, id)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if typ != wantType || err != nil {
		return 0, apperr.Invalid(field, "%q is not the id of a %s", id, wantType)
	}
	return n, nil
}
