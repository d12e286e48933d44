package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/prasan-hub/prasan/internal/auth"
)

type uploadAnswer struct {
	Applied                           bool
	Rows, Created, Updated, Unchanged int
	Rejected                          int
	Errors                            []struct {
		Row             int
		Column, Message string
	}
	BatchID *int64
}

func upload(t *testing.T, h *hub, token, contentType, query, body string) (int, uploadAnswer) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/upload/villages"+query, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, req)
	var a uploadAnswer
	_ = json.Unmarshal(rec.Body.Bytes(), &a)
	return rec.Code, a
}

// The upload endpoint takes an agency's file through the same pipeline as the
// mutation and the command: all or nothing, bad rows named, the caller's scope.
func TestUploadVillages(t *testing.T) {
	h := newHub(t, true)
	moiToken := h.mint(auth.TokenRequest{Subject: "moi", Agency: "MOI-OPS", Roles: []auth.Role{auth.RoleMOI}})
	csv, err := os.ReadFile("../../examples/villages.csv")
	if err != nil {
		t.Fatal(err)
	}
	if code, a := upload(t, h, moiToken, "text/csv", "?dryRun=true", string(csv)); code != 200 || a.Applied || a.Rows != 3 {
		t.Errorf("dry run: %d %+v", code, a)
	}
	if code, a := upload(t, h, moiToken, "text/csv; charset=utf-8", "?fileName=villages.csv", string(csv)); code != 200 || !a.Applied || a.Created != 2 || a.Updated != 1 || a.BatchID == nil {
		t.Errorf("upload: %d %+v", code, a)
	}
	jsonl, _ := os.ReadFile("../../examples/villages.jsonl")
	if code, a := upload(t, h, moiToken, "application/x-ndjson", "", string(jsonl)); code != 200 || a.Unchanged != 3 {
		t.Errorf("the same as JSON Lines: %d %+v", code, a)
	}
	code, a := upload(t, h, moiToken, "text/csv", "", "sourceId,code,nameTh,population\nx,50040150,บ้านใหม่,12\ny,5004015,บ้านสั้น,12\nz,50040151,บ้านเลข,สิบสอง\n")
	if code != 422 || a.Applied || a.Rejected != 2 || len(a.Errors) != 2 || a.Errors[0].Row != 3 || a.Errors[1].Column != "population" {
		t.Errorf("bad file: %d %+v", code, a)
	}
	if n := h.count(`SELECT count(*) FROM area WHERE code = '50040150'`); n != 0 {
		t.Error("a refused file wrote a village")
	}
	for name, tt := range map[string]struct {
		token, contentType string
		status             int
	}{
		"no token":         {"", "text/csv", 401},
		"a viewer":         {h.mint(auth.TokenRequest{Subject: "v", Roles: []auth.Role{auth.RoleViewer}}), "text/csv", 403},
		"not CSV or JSONL": {moiToken, "application/pdf", 415},
		"unknown column":   {moiToken, "text/csv", 422},
	} {
		body := string(csv)
		if name == "unknown column" {
			body = "sourceId,code,nameTh,colour\n"
		}
		if code, _ := upload(t, h, tt.token, tt.contentType, "", body); code != tt.status {
			t.Errorf("%s: %d, want %d", name, code, tt.status)
		}
	}
}
