package ingest

import (
	"fmt"
	"strings"

	"github.com/prasan-hub/prasan/internal/auth"
)

// The kinds of records agencies send besides villages. Their keys are what makes
// two agencies' records speak of the same object: a plan is its village and
// fiscal year, whoever sends it, so that the province and Pid Thong asserting
// different statuses for one plan is a disagreement the hub shows.
var (
	// VillagePlan is a village's development plan for a fiscal year: its status,
	// schedule and participation.
	VillagePlan = &Kind{
		Name: "village_plan", Title: "village plan", HasVillage: true, Resource: auth.ResourcePlan,
		Fields: []Field{
			{Name: "villageCode", Columns: []string{"code", "รหัสหมู่บ้าน"}, Parse: villageCode, Required: true},
			{Name: "fiscalYear", Columns: []string{"ปีงบประมาณ", "year"}, Parse: fiscalYear, Required: true},
			{Name: "status", Columns: []string{"สถานะ"}, Parse: planStatus, Required: true, Fact: true},
			{Name: "scheduledStart", Columns: []string{"วันเริ่ม", "start"}, Parse: date, Fact: true},
			{Name: "scheduledEnd", Columns: []string{"วันสิ้นสุด", "end"}, Parse: date, Fact: true},
			{Name: "completedOn", Columns: []string{"วันที่เสร็จ", "completed"}, Parse: date, Fact: true},
			{Name: "participationRate", Columns: []string{"ร้อยละการมีส่วนร่วม", "participation"}, Parse: percent, Fact: true},
		},
		Key: func(v Values, _ string) (string, *string) {
			village := v.Str("villageCode")
			return fmt.Sprintf("%s:%d", village, v["fiscalYear"]), &village
		},
		Check: func(v Values) (string, string) {
			start, end := v.Str("scheduledStart"), v.Str("scheduledEnd")
			if start != "" && end != "" && end < start {
				return "scheduledEnd", fmt.Sprintf("the plan ends (%s) before it starts (%s)", end, start)
			}
			if v.Str("completedOn") != "" && v.Str("status") != "COMPLETED" {
				return "completedOn", "a completion date needs status COMPLETED"
			}
			return "", ""
		},
	}

	// PlanItem is one item of a village plan, by its position in the plan.
	PlanItem = &Kind{
		Name: "plan_item", Title: "plan item", HasVillage: true, Resource: auth.ResourcePlan,
		Fields: []Field{
			{Name: "villageCode", Columns: []string{"code", "รหัสหมู่บ้าน"}, Parse: villageCode, Required: true},
			{Name: "fiscalYear", Columns: []string{"ปีงบประมาณ", "year"}, Parse: fiscalYear, Required: true},
			{Name: "position", Columns: []string{"ลำดับ", "no"}, Parse: wholeNumber(1, 999), Required: true},
			{Name: "title", Columns: []string{"รายการ", "ชื่อรายการ", "โครงการ"}, Parse: text(500), Required: true, Fact: true},
			{Name: "category", Columns: []string{"ประเภท", "หมวด"}, Parse: itemCategory, Required: true, Fact: true},
			{Name: "responsibleAgencyCode", Columns: []string{"หน่วยงานรับผิดชอบ", "agency"}, Parse: code, Fact: true},
		},
		Key: func(v Values, _ string) (string, *string) {
			village := v.Str("villageCode")
			return fmt.Sprintf("%s:%d:%d", village, v["fiscalYear"], v["position"]), &village
		},
	}

	// BudgetLine is money an agency puts, from one source, into a plan item (named
	// by village, fiscal year and position) or into a program in an area. Whoever
	// reports it, one agency's money from one source for one thing in one year is
	// one line: the province and the funding agency reporting different amounts
	// for it disagree.
	BudgetLine = &Kind{
		Name: "budget_line", Title: "budget line", HasVillage: true, SenderField: "agencyCode",
		Resource: auth.ResourceBudget, OwnResource: auth.ResourceOwnBudget,
		Fields: []Field{
			{Name: "fiscalYear", Columns: []string{"ปีงบประมาณ", "year"}, Parse: fiscalYear, Required: true},
			{Name: "agencyCode", Columns: []string{"หน่วยงาน", "agency", "fundingAgency"}, Parse: code},
			{Name: "source", Columns: []string{"แหล่งงบประมาณ", "แหล่งเงิน"}, Parse: budgetSource, Required: true},
			{Name: "villageCode", Columns: []string{"รหัสหมู่บ้าน"}, Parse: villageCode},
			{Name: "itemPosition", Columns: []string{"ลำดับรายการ", "item"}, Parse: wholeNumber(1, 999)},
			{Name: "programCode", Columns: []string{"รหัสโครงการ", "program"}, Parse: code},
			{Name: "areaCode", Columns: []string{"รหัสพื้นที่", "area"}, Parse: areaCode},
			{Name: "amount", Columns: []string{"จำนวนเงิน", "งบประมาณ"}, Parse: money("99999999999999.99"), Required: true, Fact: true},
			{Name: "status", Columns: []string{"สถานะ"}, Parse: budgetStatus, Required: true, Fact: true},
			{Name: "description", Columns: []string{"รายละเอียด"}, Parse: text(2000), Fact: true},
		},
		Key: func(v Values, _ string) (string, *string) {
			head := fmt.Sprintf("%d:%s:%s", v["fiscalYear"], v.Str("agencyCode"), v.Str("source"))
			if village := v.Str("villageCode"); village != "" {
				return fmt.Sprintf("item:%s:%s:%d", head, village, v["itemPosition"]), &village
			}
			key := fmt.Sprintf("program:%s:%s:%s", head, v.Str("programCode"), v.Str("areaCode"))
			if a := v.Str("areaCode"); a != "" {
				return key, &a
			}
			return key, nil
		},
		Check: func(v Values) (string, string) {
			item := v.Str("villageCode") != ""
			_, hasPosition := v["itemPosition"]
			switch {
			case item && !hasPosition:
				return "itemPosition", "a line for a plan item names the item's position in the village's plan"
			case item && v.Str("programCode") != "":
				return "programCode", "a line funds a plan item or a program, not both"
			case !item && v.Str("programCode") == "":
				return "programCode", "name what the line funds: a plan item (villageCode, itemPosition) or a program (programCode)"
			case !item && hasPosition:
				return "villageCode", "a plan item is named by villageCode and itemPosition together"
			case item && v.Str("areaCode") != "":
				return "areaCode", "a plan item's line lands in the plan's village: leave areaCode out"
			}
			return "", ""
		},
	}

	// Facilitator is who facilitates a village's plan in a role (a deputy district
	// officer or an area developer, AD1–AD3).
	Facilitator = &Kind{
		Name: "facilitator", Title: "facilitator assignment", HasVillage: true, SenderField: "agencyCode",
		Resource: auth.ResourceFacilitator,
		Fields: []Field{
			{Name: "villageCode", Columns: []string{"code", "รหัสหมู่บ้าน"}, Parse: villageCode, Required: true},
			{Name: "fiscalYear", Columns: []string{"ปีงบประมาณ", "year"}, Parse: fiscalYear, Required: true},
			{Name: "role", Columns: []string{"บทบาท", "ตำแหน่ง"}, Parse: facilitatorRole, Required: true},
			{Name: "name", Columns: []string{"ชื่อ", "ชื่อ-สกุล", "ชื่อสกุล"}, Parse: text(200), Required: true, Fact: true, Personal: true},
			{Name: "phone", Columns: []string{"โทรศัพท์", "เบอร์โทร"}, Parse: phone, Fact: true, Personal: true},
			{Name: "agencyCode", Columns: []string{"หน่วยงาน", "agency"}, Parse: code, Fact: true},
		},
		Key: func(v Values, _ string) (string, *string) {
			village := v.Str("villageCode")
			return fmt.Sprintf("%s:%d:%s", village, v["fiscalYear"], v.Str("role")), &village
		},
	}

	// PreventionActivity is a drug-prevention activity an agency held in a village:
	// its own record, keyed by its sourceId.
	PreventionActivity = &Kind{
		Name: "prevention_activity", Title: "prevention activity", HasVillage: true, Resource: auth.ResourceActivity,
		Fields: []Field{
			{Name: "villageCode", Columns: []string{"code", "รหัสหมู่บ้าน"}, Parse: villageCode, Required: true, Fact: true},
			{Name: "heldOn", Columns: []string{"วันที่", "date"}, Parse: date, Required: true, Fact: true},
			{Name: "activityType", Columns: []string{"ประเภทกิจกรรม", "type"}, Parse: activityType, Required: true, Fact: true},
			{Name: "title", Columns: []string{"กิจกรรม", "ชื่อกิจกรรม"}, Parse: text(500), Required: true, Fact: true},
			{Name: "participants", Columns: []string{"ผู้เข้าร่วม", "จำนวนผู้เข้าร่วม"}, Parse: wholeNumber(0, 1000000), Fact: true},
			{Name: "programCode", Columns: []string{"รหัสโครงการ", "program"}, Parse: code, Fact: true},
		},
		Key: func(v Values, agencyAndSource string) (string, *string) {
			village := v.Str("villageCode")
			return agencyAndSource, &village
		},
	}
)

// Kinds lists the kinds of records besides villages, by name.
var Kinds = map[string]*Kind{}

func init() {
	for _, k := range []*Kind{VillagePlan, PlanItem, BudgetLine, Facilitator, PreventionActivity} {
		Kinds[k.Name] = k
	}
}

// KindNamed returns the kind of a name such as village-plan, village_plan or
// (as in an upload's path) village-plans; nil when there is none.
func KindNamed(name string) *Kind {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
	if k, ok := Kinds[n]; ok {
		return k
	}
	if strings.HasSuffix(n, "ies") {
		return Kinds[strings.TrimSuffix(n, "ies")+"y"]
	}
	return Kinds[strings.TrimSuffix(n, "s")]
}

var (
	planStatus = oneOf(map[string][]string{
		"NOT_STARTED": {"ยังไม่เริ่ม", "ยังไม่ดำเนินการ"},
		"IN_PROGRESS": {"กำลังดำเนินการ", "อยู่ระหว่างดำเนินการ"},
		"COMPLETED":   {"เสร็จสิ้น", "แล้วเสร็จ", "ดำเนินการแล้ว", "เสร็จแล้ว"},
	})
	itemCategory = oneOf(map[string][]string{
		"PREVENTION": {"ป้องกันยาเสพติด", "ป้องกัน"}, "LIVELIHOOD": {"อาชีพ", "เศรษฐกิจ"},
		"INFRASTRUCTURE": {"โครงสร้างพื้นฐาน"}, "EDUCATION": {"การศึกษา"}, "HEALTH": {"สุขภาพ", "สาธารณสุข"},
		"ENVIRONMENT": {"สิ่งแวดล้อม"}, "SOCIAL": {"สังคม"}, "OTHER": {"อื่นๆ", "อื่น ๆ"},
	})
	budgetSource = oneOf(map[string][]string{
		"AGENCY_CORE": {"งบปกติ", "งบหน่วยงาน"}, "INTEGRATED_FUNCTION": {"งบบูรณาการ"},
		"PROVINCIAL": {"งบจังหวัด"}, "LOCAL_GOVERNMENT": {"งบท้องถิ่น", "อปท."}, "OTHER": {"อื่นๆ"},
	})
	budgetStatus = oneOf(map[string][]string{
		"REQUESTED": {"เสนอขอ", "ขอรับ"}, "APPROVED": {"อนุมัติ", "ได้รับอนุมัติ"}, "DISBURSED": {"เบิกจ่าย", "เบิกจ่ายแล้ว"},
	})
	facilitatorRole = oneOf(map[string][]string{
		"DEPUTY_DISTRICT_OFFICER": {"ปลัดอำเภอ"}, "AD1": {}, "AD2": {}, "AD3": {},
	})
	activityType = oneOf(map[string][]string{
		"AWARENESS": {"รณรงค์", "ให้ความรู้"}, "SCREENING": {"คัดกรอง", "ตรวจหาสารเสพติด"},
		"TREATMENT_REFERRAL": {"ส่งต่อบำบัด", "บำบัด"}, "YOUTH": {"เยาวชน", "กิจกรรมเยาวชน"},
		"COMMUNITY_WATCH": {"เฝ้าระวัง", "ชุมชนเฝ้าระวัง"}, "OTHER": {"อื่นๆ"},
	})
)
