package server_test

import (
	"encoding/base64"
	"testing"
)

// Bad input answers with BAD_USER_INPUT naming the field at fault.
func TestBadInput_Queries(t *testing.T) {
	h := newHub(t, true)
	idOf := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, tt := range map[string]struct {
		query string
		vars  map[string]any
		field string
	}{
		"village code too short":            {`{ village(code: "123") { code } }`, nil, "code"},
		"village code with letters":         {`{ village(code: "5004O103") { code } }`, nil, "code"},
		"district code of a province":       {`{ district(code: "50") { code } }`, nil, "code"},
		"malformed global id":               {`{ node(id: "not an id!") { id } }`, nil, "id"},
		"global id without key":             {`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": idOf("Village:")}, "id"},
		"bad id in nodes":                   {`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{idOf("Village:50040103"), "%%"}}, "ids[1]"},
		"page too large":                    {`{ villages(first: 501) { totalCount } }`, nil, "first"},
		"negative page":                     {`{ villages(first: -1) { totalCount } }`, nil, "first"},
		"cursor not base64":                 {`{ villages(after: "***") { totalCount } }`, nil, "after"},
		"cursor of another list":            {`query($c: String) { villagePlans(after: $c) { totalCount } }`, map[string]any{"c": base64.RawURLEncoding.EncodeToString([]byte("50040103"))}, "after"},
		"Common-Era fiscal year":            {`{ villagePlan(villageCode: "50040103", fiscalYear: 2021) { id } }`, nil, "fiscalYear"},
		"fiscal year out of range":          {`{ actionPlans(fiscalYear: 3000) { totalCount } }`, nil, "fiscalYear"},
		"fiscal year not a number":          {`{ actionPlans(fiscalYear: "two") { totalCount } }`, nil, "fiscalYear"},
		"area filter malformed":             {`{ villages(filter: {areaCode: "5x"}) { totalCount } }`, nil, "filter.areaCode"},
		"plan status without fiscal year":   {`{ villages(filter: {planStatus: COMPLETED}) { totalCount } }`, nil, "filter.fiscalYear"},
		"summary without dimensions":        {`{ budgetSummary(fiscalYear: 2564, groupBy: []) { total } }`, nil, "groupBy"},
		"summary with a repeated dimension": {`{ budgetSummary(fiscalYear: 2564, groupBy: [SOURCE, SOURCE]) { total } }`, nil, "groupBy"},
		"date not a date":                   {`{ meetings(filter: {from: "31 ก.พ. 2564"}) { totalCount } }`, nil, "filter.from"},
		"too many nodes":                    {`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": make([]string, 101)}, "ids"},
	} {
		t.Run(name, func(t *testing.T) {
			r := h.fail(tt.query, tt.vars)
			if r.code() != "BAD_USER_INPUT" || r.field() != tt.field {
				t.Errorf("got code %q field %q, want BAD_USER_INPUT %q: %+v", r.code(), r.field(), tt.field, r.Errors)
			}
		})
	}
}

// Unknown keys are not errors: they read as null, like rows out of scope.
func TestUnknownKeysAreNull(t *testing.T) {
	h := newHub(t, true)
	idOf := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	var got map[string]any
	h.query(`query($a: ID!, $b: ID!, $c: ID!) {
		village(code: "99999999") { code } province(code: "๙๙") { code } agency(code: "NOPE") { code }
		program(code: "NOPE") { code } villagePlan(villageCode: "50040103", fiscalYear: 2600) { id }
		a: node(id: $a) { id } b: node(id: $b) { id } c: node(id: $c) { id } }`,
		map[string]any{"a": idOf("Village:99999999"), "b": idOf("Meeting:999999"), "c": idOf("Spaceship:1")}, &got)
	for k, v := range got {
		if v != nil {
			t.Errorf("%s = %v, want null", k, v)
		}
	}
	if len(got) != 8 {
		t.Errorf("got %d fields, want 8", len(got))
	}
}

// GraphQL's own errors keep gqlgen's codes, and internal details never reach clients.
func TestBadInput_Protocol(t *testing.T) {
	h := newHub(t, false)
	for name, tt := range map[string]struct {
		query, code string
	}{
		"syntax error":  {`{ villages( }`, "GRAPHQL_PARSE_FAILED"},
		"unknown field": {`{ villages { colour } }`, "GRAPHQL_VALIDATION_FAILED"},
		"bad enum":      {`{ villagePlans(filter: {status: FINISHED}) { totalCount } }`, "GRAPHQL_VALIDATION_FAILED"},
	} {
		t.Run(name, func(t *testing.T) {
			r := h.fail(tt.query, nil)
			if r.code() != tt.code {
				t.Errorf("code = %q, want %q: %+v", r.code(), tt.code, r.Errors)
			}
		})
	}
}

// An internal failure reaches the client as INTERNAL with no detail; the detail goes
// to the log.
func TestInternalErrorsAreMasked(t *testing.T) {
	h := newHub(t, true)
	var warm struct{ Me struct{ Role string } }
	h.query(`{ me { role } }`, nil, &warm) // the access policy is now cached
	h.db.Close()                           // every statement now fails inside the driver
	r := h.fail(`{ villages(first: 1) { totalCount } }`, nil)
	if r.code() != "INTERNAL" || r.Errors[0].Message != "internal error" {
		t.Errorf("got %+v", r.Errors)
	}
}
