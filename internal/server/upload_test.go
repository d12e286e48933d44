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
	return uploadTo(t, h, "villages", token, contentType, query, body)
}

func uploadTo(t *testing.T, h *hub, kind, token, contentType, query, body string) (int, uploadAnswer) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/upload/"+kind+query, strings.NewReader(body))
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

// Any kind of record can be uploaded; a partner's file of budget lines holds only
// its own agency's lines.
func TestUploadRecords(t *testing.T) {
	h := newHub(t, true)
	h.query(`mutation { grantAccess(input: {agencyCode: "MFLF", areaCodes: ["50"], reason: "upload test"}) { grant { id } } }`, nil, &map[string]any{})
	partner := h.mint(auth.TokenRequest{Subject: "mflf", Agency: "MFLF", Roles: []auth.Role{auth.RolePartner}})
	lines := `{"sourceId": "m-1", "fiscalYear": 2564, "villageCode": "50040103", "itemPosition": 1, "source": "OTHER", "amount": "9,500", "status": "APPROVED"}
{"sourceId": "m-2", "fiscalYear": 2564, "agencyCode": "CDD", "villageCode": "50040103", "itemPosition": 2, "source": "OTHER", "amount": "1", "status": "APPROVED"}
{"sourceId": "m-3", "fiscalYear": 2564, "villageCode": "57030105", "itemPosition": 1, "source": "OTHER", "amount": "1", "status": "APPROVED"}
`
	code, a := uploadTo(t, h, "budget-lines", partner, "application/x-ndjson", "", lines)
	if code != 422 || a.Applied || a.Rejected != 2 || len(a.Errors) != 2 || a.Errors[0].Row != 2 || a.Errors[0].Column != "agencyCode" ||
		a.Errors[1].Row != 3 || !strings.Contains(a.Errors[1].Message, "outside the areas you may write") {
		t.Errorf("another agency's line and a line outside the grant: %d %+v", code, a)
	}
	first, _, _ := strings.Cut(lines, "\n")
	if code, a := uploadTo(t, h, "budget-lines", partner, "application/x-ndjson", "", first+"\n"); code != 200 || !a.Applied || a.Created != 1 {
		t.Errorf("its own line: %d %+v", code, a)
	}
	if got := h.text(`SELECT amount::text FROM budget_line WHERE agency_code = 'MFLF' AND ingest_key IS NOT NULL`); got != "9500.00" {
		t.Errorf("the line: %s", got)
	}
	if code, _ := uploadTo(t, h, "budget-lines", h.mint(auth.TokenRequest{Subject: "v", Roles: []auth.Role{auth.RoleViewer}}), "application/x-ndjson", "", first); code != 403 {
		t.Errorf("a viewer's upload: %d", code)
	}
	if code, _ := uploadTo(t, h, "spaceships", partner, "text/csv", "", "sourceId\n1\n"); code != 404 {
		t.Errorf("an unknown kind: %d", code)
	}
	if code, a := uploadTo(t, h, "plan-items", partner, "text/csv", "", "sourceId,title\n1,x\n"); code != 422 || a.Applied {
		t.Errorf("a file without required columns: %d %+v", code, a)
	}
}
