package graph

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponse_AsJSONMarshalWritesIt holds that the answer written without
// marshalling says what json.Marshal's says, for answers of data alone (gqlgen's
// empty extensions included) — byte for byte but for the HTML escapes json.Marshal
// adds (<, >, & as \u003c…), which JSON needs not — and that answers with errors
// or extensions are marshalled whole.
func TestWriteResponse_AsJSONMarshalWritesIt(t *testing.T) {
	data := json.RawMessage(`{"village":{"code":"50040103","nameTh":"บ้านแม่ก๊ะ","plan":null,"n":[1,2.5],"title":"ถนน <คสล.> & ราง"}}`)
	for _, c := range []struct {
		name       string
		resp       *graphql.Response
		marshalled bool
	}{
		{"data", &graphql.Response{Data: data}, false},
		{"data, empty extensions", &graphql.Response{Data: data, Extensions: map[string]any{}}, false},
		{"null data", &graphql.Response{Data: json.RawMessage(`null`)}, false},
		{"no data", &graphql.Response{}, true},
		{"errors", &graphql.Response{Data: data, Errors: gqlerror.List{{Message: "ไม่พบ", Extensions: map[string]any{"code": "NOT_FOUND"}}}}, true},
		{"extensions", &graphql.Response{Data: data, Extensions: map[string]any{"cost": 12}}, true},
	} {
		marshalled, err := json.Marshal(c.resp)
		if err != nil {
			t.Fatal(err)
		}
		want := string(marshalled)
		if !c.marshalled {
			want = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(want)
		}
		var got bytes.Buffer
		writeResponse(&got, c.resp)
		if got.String() != want {
			t.Errorf("%s: wrote %s, want %s", c.name, got.Bytes(), want)
		}
	}
}

// TestResponseMediaType_AsGqlgenChoosesIt: application/json for clients that
// accept it or anything, application/graphql-response+json when asked for or when
// nothing else offered is known.
func TestResponseMediaType_AsGqlgenChoosesIt(t *testing.T) {
	for accept, want := range map[string]string{
		"":                                  mediaJSON,
		"*/*":                               mediaJSON,
		"application/json":                  mediaJSON,
		"application/graphql-response+json": mediaGraphQLResponse,
		"application/graphql-response+json, application/json;q=0.9": mediaGraphQLResponse,
		"text/html":                    mediaGraphQLResponse,
		"nonsense;;, application/*":    mediaJSON,
		"text/plain, application/json": mediaJSON,
	} {
		r := httptest.NewRequest("POST", "/graphql", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		if got := responseMediaType(r); got != want {
			t.Errorf("Accept %q: %s, want %s", accept, got, want)
		}
	}
}
