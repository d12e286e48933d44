package ingest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestValuesJSON_AsJSONMarshal holds Values.JSON byte for byte equal to
// json.Marshal, which wrote the digests already kept: a change would make every
// record sent again look changed.
func TestValuesJSON_AsJSONMarshal(t *testing.T) {
	for _, v := range []Values{
		{},
		{"title": "ปรับปรุงประปา (1)", "position": 6, "category": "INFRASTRUCTURE", "responsibleAgencyCode": "MFLF"},
		{"amount": "1250000.50", "status": "APPROVED", "fiscalYear": 2566, "demo": true, "off": false},
		{"title": `ถนน <คสล.> & "ราง" \ หมู่ 3`, "tab": "a\tb\nc\rd\be\ff\x00g\x1f"},
		{"bad": "\xff\xfeไม่ใช่ UTF-8", "separators": "a\u2028b\u2029c", "negative": -42},
		{"ปีงบ": "๒๕๖๖", "a": "", "B": "upper sorts first"},
		{"other": 1.5, "nothing": nil},
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.JSON(); !bytes.Equal(got, want) {
			t.Errorf("Values.JSON()\n got %s\nwant %s", got, want)
		}
	}
}

func FuzzValuesJSON(f *testing.F) {
	f.Add("title", "ปรับปรุงประปา <1> & \"2\"", "position", 6, true)
	f.Add("", "\xff\u2028\x00", "ข", -1, false)
	f.Fuzz(func(t *testing.T, k1, s, k2 string, n int, b bool) {
		v := Values{k1: s, k2: n, k1 + k2 + "!": b}
		want, err := json.Marshal(v)
		if err != nil {
			t.Skip()
		}
		if got := v.JSON(); !bytes.Equal(got, want) {
			t.Errorf("Values.JSON()\n got %s\nwant %s", got, want)
		}
	})
}
