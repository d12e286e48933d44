package ingest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prasan-hub/prasan/internal/ingest"
)

func TestKindParse(t *testing.T) {
	rec, field, msg := ingest.VillagePlan.Parse(ingest.Raw{"sourceId": " p-1 ", "villageCode": "๕๐๐๔๐๑๐๓", "fiscalYear": "ปีงบประมาณ ๒๕๖๔",
		"status": "เสร็จสิ้น", "completedOn": "25 ม.ค. 2564", "participationRate": "๘๐.๕%"}, "PO-50", nil, nil)
	if field != "" {
		t.Fatalf("%s: %s", field, msg)
	}
	want := ingest.Values{"villageCode": "50040103", "fiscalYear": 2564, "status": "COMPLETED", "completedOn": "2021-01-25", "participationRate": "80.50"}
	if rec.SourceID != "p-1" || rec.Key != "50040103:2564" || *rec.Area != "50040103" || !cmp.Equal(rec.Values, want) {
		t.Errorf("got %+v %v", rec, rec.Values)
	}
	for _, tt := range []struct {
		kind  *ingest.Kind
		raw   ingest.Raw
		field string
	}{
		{ingest.VillagePlan, ingest.Raw{"villageCode": "50040103", "fiscalYear": "2564", "status": "COMPLETED"}, "sourceId"},
		{ingest.VillagePlan, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "fiscalYear": "2021", "status": "COMPLETED"}, "fiscalYear"},
		{ingest.VillagePlan, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "fiscalYear": "2564"}, "status"},
		{ingest.VillagePlan, ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "status": "COMPLETED"}, "villageCode"},
		{ingest.VillagePlan, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "fiscalYear": "2564", "status": "IN_PROGRESS", "completedOn": "2021-01-01"}, "completedOn"},
		{ingest.VillagePlan, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "fiscalYear": "2564", "status": "IN_PROGRESS", "scheduledStart": "2021-02-01", "scheduledEnd": "2021-01-01"}, "scheduledEnd"},
		{ingest.VillagePlan, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "fiscalYear": "2564", "status": "IN_PROGRESS", "colour": "red"}, "colour"},
		{ingest.VillagePlan, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "fiscalYear": "2564", "status": "IN_PROGRESS", "participationRate": "101"}, "participationRate"},
		{ingest.BudgetLine, ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "source": "OTHER", "amount": "1e5", "status": "APPROVED", "programCode": "P1"}, "amount"},
		{ingest.BudgetLine, ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "source": "OTHER", "amount": "-1", "status": "APPROVED", "programCode": "P1"}, "amount"},
		{ingest.BudgetLine, ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "source": "OTHER", "amount": "1.005", "status": "APPROVED", "programCode": "P1"}, "amount"},
		{ingest.BudgetLine, ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "source": "OTHER", "amount": "1", "status": "APPROVED"}, "programCode"},
		{ingest.BudgetLine, ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "source": "OTHER", "amount": "1", "status": "APPROVED", "villageCode": "50040103"}, "itemPosition"},
		{ingest.BudgetLine, ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "source": "OTHER", "amount": "1", "status": "APPROVED", "villageCode": "50040103", "itemPosition": "1", "programCode": "P1"}, "programCode"},
		{ingest.Facilitator, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "fiscalYear": "2564", "role": "AD1", "name": "ก", "phone": "โทรหาได้"}, "phone"},
		{ingest.PreventionActivity, ingest.Raw{"sourceId": "x", "villageCode": "50040103", "heldOn": "31 ก.พ. 2564", "activityType": "YOUTH", "title": "ค่าย"}, "heldOn"},
	} {
		if _, field, msg := tt.kind.Parse(tt.raw, "PO-50", nil, nil); field != tt.field || (field != "" && msg == "") {
			t.Errorf("%s %v: field %q (%s), want %q", tt.kind.Name, tt.raw, field, msg, tt.field)
		}
	}
	line, _, _ := ingest.BudgetLine.Parse(ingest.Raw{"sourceId": "x", "fiscalYear": "2564", "source": "งบจังหวัด", "amount": "๑,๒๕๐,๐๐๐.๕", "status": "อนุมัติ", "programCode": "p-1", "areaCode": "50"}, "PO-50", nil, nil)
	if line.Key != "program:2564:PO-50:PROVINCIAL:P-1:50" || line.Values["amount"] != "1250000.50" {
		t.Errorf("budget line: %+v", line)
	}
}

// Whatever text arrives in any field of any kind, Parse answers a record or a
// field at fault with a message, and a parsed record's values read the same again.
func FuzzKindParse(f *testing.F) {
	f.Add("plan", "fiscalYear", "๒๕๖๔")
	f.Add("item", "position", "๑,๐๐๐")
	f.Add("line", "amount", "1,250,000.50")
	f.Add("activity", "heldOn", "25 ม.ค. 2564")
	kinds := map[string]*ingest.Kind{"plan": ingest.VillagePlan, "item": ingest.PlanItem, "line": ingest.BudgetLine, "activity": ingest.PreventionActivity}
	base := ingest.Raw{"sourceId": "s", "villageCode": "50040103", "fiscalYear": "2564", "status": "REQUESTED", "position": "1",
		"title": "t", "category": "OTHER", "amount": "1", "source": "OTHER", "itemPosition": "1", "heldOn": "2021-01-01", "activityType": "OTHER"}
	f.Fuzz(func(t *testing.T, kind, field, value string) {
		k := kinds[kind]
		if k == nil {
			return
		}
		raw := ingest.Raw{}
		for _, fl := range k.Fields {
			if v, ok := base[fl.Name]; ok {
				raw[fl.Name] = v
			}
		}
		raw["sourceId"] = "s"
		if k == ingest.VillagePlan {
			raw["status"] = "IN_PROGRESS"
		}
		raw[field] = value
		rec, bad, msg := k.Parse(raw, "PO-50", nil, nil)
		if bad != "" {
			if msg == "" {
				t.Errorf("field %s at fault without a message", bad)
			}
			return
		}
		again := ingest.Raw{"sourceId": rec.SourceID}
		for name, v := range rec.Values {
			again[name] = fmtValue(v)
		}
		rec2, bad, msg := k.Parse(again, "PO-50", nil, nil)
		if bad != "" || rec2.Key != rec.Key || !cmp.Equal(rec2.Values, rec.Values) {
			t.Errorf("%v parsed to %v, which reads back as %v (%s %s)", raw, rec.Values, rec2, bad, msg)
		}
	})
}

func fmtValue(v any) string {
	switch x := v.(type) {
	case int:
		return itoa(x)
	case string:
		return x
	}
	return ""
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
