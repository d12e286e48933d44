package server_test

import (
	"bytes"
	"encoding/base64"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/server"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The printed schema is the frontend team's manual: a change to it must be seen in
// review. Refresh with go test ./internal/server -run Schema -update.
func TestSchema_Golden(t *testing.T) {
	got := server.SDL()
	const golden = "testdata/schema.graphql"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("schema differs from %s; run with -update if the change is meant", golden)
	}
}

// Every type, field, argument, input field and enum value carries a description:
// the schema is the frontend team's manual.
func TestSchema_EverythingIsDescribed(t *testing.T) {
	h := newHub(t, false)
	type described struct {
		Name        string
		Description *string
	}
	var got struct {
		Schema struct {
			Types []struct {
				described
				Fields []struct {
					described
					Args []described
				}
				InputFields []described
				EnumValues  []described
			}
		} `json:"__schema"`
	}
	h.query(`{ __schema { types { name description fields { name description args { name description } }
		inputFields { name description } enumValues { name description } } } }`, nil, &got)
	missing := func(d described) bool { return d.Description == nil || strings.TrimSpace(*d.Description) == "" }
	for _, typ := range got.Schema.Types {
		if strings.HasPrefix(typ.Name, "__") || slices.Contains([]string{"String", "Int", "Float", "Boolean", "ID"}, typ.Name) {
			continue
		}
		if missing(typ.described) {
			t.Errorf("type %s", typ.Name)
		}
		for _, f := range typ.Fields {
			if missing(f.described) {
				t.Errorf("field %s.%s", typ.Name, f.Name)
			}
			for _, a := range f.Args {
				if missing(a) {
					t.Errorf("argument %s.%s(%s)", typ.Name, f.Name, a.Name)
				}
			}
		}
		for _, f := range typ.InputFields {
			if missing(f) {
				t.Errorf("input field %s.%s", typ.Name, f.Name)
			}
		}
		for _, v := range typ.EnumValues {
			if missing(v) {
				t.Errorf("enum value %s.%s", typ.Name, v.Name)
			}
		}
	}
}

func TestHTTP(t *testing.T) {
	h := newHub(t, true)
	get := func(target string, header map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+h.token)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		return rec
	}
	t.Run("GET /graphql runs a query", func(t *testing.T) {
		rec := get("/graphql?query="+url.QueryEscape(`{ province(code: "50") { nameTh } }`), nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "เชียงใหม่") {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
	})
	t.Run("GET /graphql refuses a mutation", func(t *testing.T) {
		rec := get("/graphql?query="+url.QueryEscape(`mutation { updateActionItemStatus(input: {id: "x", status: DONE}) { actionItem { id } } }`), nil)
		if rec.Code < 400 {
			t.Errorf("status %d, want an error status: %s", rec.Code, rec.Body)
		}
	})
	t.Run("graphql-response+json when asked", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ villages(first: 1) { totalCount } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.token)
		req.Header.Set("Accept", "application/graphql-response+json")
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || !strings.HasPrefix(ct, "application/graphql-response+json") {
			t.Errorf("%d %q", rec.Code, ct)
		}
	})
	t.Run("a body that is not JSON is a 400", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query": `))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.token)
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("status %d, want 400", rec.Code)
		}
	})
	t.Run("a body over the limit is a 413", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"`+strings.Repeat(" ", 2<<20)+`{ provinces { code } }"}`))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", rec.Code)
		}
	})
	t.Run("request id is returned, the client's when sane", func(t *testing.T) {
		if id := get("/healthz", map[string]string{"X-Request-ID": "abc-123"}).Header().Get("X-Request-ID"); id != "abc-123" {
			t.Errorf("X-Request-ID = %q", id)
		}
		if id := get("/healthz", map[string]string{"X-Request-ID": "bad id\x01"}).Header().Get("X-Request-ID"); id == "" || strings.Contains(id, " ") {
			t.Errorf("X-Request-ID = %q, want a fresh one", id)
		}
	})
	t.Run("schema, health and readiness", func(t *testing.T) {
		if rec := get("/schema.graphql", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "type Village implements Node & Area") {
			t.Errorf("/schema.graphql: %d", rec.Code)
		}
		if rec := get("/healthz", nil); rec.Code != 200 {
			t.Errorf("/healthz: %d", rec.Code)
		}
		if rec := get("/readyz", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "ready") {
			t.Errorf("/readyz: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("the IDE is served from the binary", func(t *testing.T) {
		rec := get("/", nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "/ide/graphiql.min.js") || strings.Contains(rec.Body.String(), "https://") {
			t.Errorf("/: %d, or it loads something from the network", rec.Code)
		}
		for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
			plain := get("/ide/"+asset, nil)
			gz := get("/ide/"+asset, map[string]string{"Accept-Encoding": "gzip"})
			if plain.Code != 200 || gz.Code != 200 || gz.Header().Get("Content-Encoding") != "gzip" || plain.Body.Len() <= gz.Body.Len() {
				t.Errorf("%s: %d/%d, plain %d bytes, gzip %d bytes", asset, plain.Code, gz.Code, plain.Body.Len(), gz.Body.Len())
			}
		}
		if rec := get("/ide/nope.js", nil); rec.Code != 404 {
			t.Errorf("unknown asset: %d", rec.Code)
		}
	})
}

// Walking a list page by page visits every item once, in order, and the total
// matches.
func TestPagination_WalksEveryItemOnce(t *testing.T) {
	h := newHub(t, true)
	var seen []string
	var after *string
	total := -1
	for page := 0; page < 20; page++ {
		var got struct {
			Villages struct {
				TotalCount int
				Edges      []struct {
					Cursor string
					Node   struct{ Code string }
				}
				PageInfo struct {
					HasNextPage     bool
					HasPreviousPage bool
					EndCursor       *string
				}
			}
		}
		h.query(`query($after: String) { villages(filter: {isDemo: true}, first: 10, after: $after) {
			totalCount edges { cursor node { code } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
			map[string]any{"after": after}, &got)
		v := got.Villages
		total = v.TotalCount
		if v.PageInfo.HasPreviousPage != (after != nil) {
			t.Errorf("page %d: hasPreviousPage = %v", page, v.PageInfo.HasPreviousPage)
		}
		for _, e := range v.Edges {
			seen = append(seen, e.Node.Code)
		}
		if !v.PageInfo.HasNextPage {
			break
		}
		after = v.PageInfo.EndCursor
	}
	if total != 47 || len(seen) != 47 || !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != 47 {
		t.Errorf("total %d, walked %d codes (sorted %v)", total, len(seen), slices.IsSorted(seen))
	}
}

// Every object's id fetches it back through node, as the same object.
func TestNode_RoundTrip(t *testing.T) {
	h := newHub(t, true)
	var got struct {
		Village struct {
			ID          string
			Subdistrict struct {
				ID       string
				District struct {
					ID       string
					Province struct{ ID string }
				}
			}
			Programs []struct {
				ID      string
				Measure struct {
					ID         string
					ActionPlan struct{ ID string }
				}
			}
			Plans []struct {
				ID    string
				Items []struct {
					ID          string
					BudgetLines []struct {
						ID     string
						Agency struct{ ID string }
					}
				}
			}
		}
		Meetings struct {
			Nodes []struct {
				ID          string
				ActionItems []struct{ ID string }
			}
		}
	}
	h.query(`{ village(code: "50040103") { id subdistrict { id district { id province { id } } }
		programs { id measure { id actionPlan { id } } } plans { id items { id budgetLines { id agency { id } } } } }
		meetings { nodes { id actionItems { id } } } }`, nil, &got)
	v := got.Village
	want := map[string]string{
		v.ID: "Village", v.Subdistrict.ID: "Subdistrict", v.Subdistrict.District.ID: "District",
		v.Subdistrict.District.Province.ID: "Province", v.Programs[0].ID: "Program", v.Programs[0].Measure.ID: "Measure",
		v.Programs[0].Measure.ActionPlan.ID: "ActionPlan", v.Plans[0].ID: "VillagePlan", v.Plans[0].Items[0].ID: "PlanItem",
		v.Plans[0].Items[0].BudgetLines[0].ID: "BudgetLine", v.Plans[0].Items[0].BudgetLines[0].Agency.ID: "Agency",
		got.Meetings.Nodes[0].ID: "Meeting", got.Meetings.Nodes[0].ActionItems[0].ID: "ActionItem",
	}
	if len(want) != 13 {
		t.Fatalf("ids are not distinct: %v", want)
	}
	for id, typ := range want {
		var n struct {
			Node *struct {
				Typename string `json:"__typename"`
				ID       string
			}
		}
		h.query(`query($id: ID!) { node(id: $id) { __typename id } }`, map[string]any{"id": id}, &n)
		if n.Node == nil || n.Node.Typename != typ || n.Node.ID != id {
			raw, _ := base64.RawURLEncoding.DecodeString(id)
			t.Errorf("node(%s = %q) = %+v, want a %s", id, raw, n.Node, typ)
		}
	}
	var ns struct{ Nodes []*struct{ ID string } }
	h.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": []string{v.ID, base64.RawURLEncoding.EncodeToString([]byte("Village:99999999")), v.Plans[0].ID}}, &ns)
	if len(ns.Nodes) != 3 || ns.Nodes[0] == nil || ns.Nodes[0].ID != v.ID || ns.Nodes[1] != nil || ns.Nodes[2] == nil {
		t.Errorf("nodes = %+v", ns.Nodes)
	}
	_ = io.Discard
}

// TestAccessLog_NamesTheRequestAndItsCaller holds the access log's line for a
// request: its id, method, path, status, duration and who asked, for what.
func TestAccessLog_NamesTheRequestAndItsCaller(t *testing.T) {
	var log syncBuffer
	h := newHubLogging(t, false, server.Options{}, &log)
	h = h.as(h.mint(auth.TokenRequest{Subject: "somchai", Agency: "PO-50", Roles: []auth.Role{auth.RoleProvince}, Areas: []string{"50"}, Purpose: "drug-prevention-plan"})).
		with("X-Request-ID", "req-50-1")
	h.query(`{ provinces { code } }`, nil, &struct{}{})
	var line string
	for l := range strings.Lines(log.String()) {
		if strings.Contains(l, "msg=request ") {
			line = l
		}
	}
	for _, want := range []string{"request_id=req-50-1", "method=POST", "path=/graphql", "status=200", "duration_ms=",
		"sub=somchai", "role=province", "agency=PO-50", "purpose=drug-prevention-plan"} {
		if !strings.Contains(line, want) {
			t.Errorf("the access log's line %q has no %s", line, want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
