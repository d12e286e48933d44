// Package demo is the case the hub comes from, as demo data: the follow-up meeting of
// 21 January 2021 (B.E. 2564) on measure 6 of the northern border action plan against
// drugs, and the Roi Jai Rak expansion program in 47 villages of 33 subdistricts,
// 19 districts and 4 provinces, 13 of whose quality village plans were completed.
//
// What the source tells is kept as told: the plan, the measure, the program, the
// agencies, the counts, the schedule and the meeting. What it does not tell is
// invented and marked is_demo: which villages (the districts and subdistricts are
// real, the village names and numbers are not), the people, and every amount.
package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/prasan-hub/prasan/internal/agency"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/budget"
	"github.com/prasan-hub/prasan/internal/meeting"
	"github.com/prasan-hub/prasan/internal/plan"
	"github.com/prasan-hub/prasan/internal/program"
	"github.com/shopspring/decimal"
)

// Dataset is everything the demo loads.
type Dataset struct {
	Agencies     []agency.Agency
	ActionPlan   program.ActionPlan
	Measure      program.Measure
	Program      program.Program
	Participants []program.Participant
	Villages     []area.Village
	Plans        []Plan
	ProgramLines []budget.Line
	Meeting      meeting.Record
	// FeedSchedules say how often agencies are expected to send each kind of record.
	FeedSchedules []FeedSchedule
}

// FeedSchedule is how often an agency is expected to send a kind of record.
type FeedSchedule struct {
	AgencyCode string
	Kind       string
	Every      time.Duration
}

// Plan is a village plan with its facilitators and items.
type Plan struct {
	plan.Plan
	Facilitators []plan.Facilitator
	Items        []Item
}

// Item is a plan item with its budget lines.
type Item struct {
	plan.Item
	Lines []budget.Line
}

// Version digests the dataset, so that a loader can tell whether it changed.
func (d *Dataset) Version() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // the dataset is plain data
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Codes of the demo's action plan, measure and program.
const (
	ActionPlanCode = "NBDAP-2564"
	MeasureCode    = "NBDAP-2564-M6"
	ProgramCode    = "ROIJAIRAK-EXP-2564"
	FiscalYear     = 2564
)

// Figures of the source, which the demo must reproduce.
const (
	Villages       = 47
	Subdistricts   = 33
	Districts      = 19
	Provinces      = 4
	PlansCompleted = 13
)

// districtVillages lists, per district, the real subdistricts that hold demo
// villages and how many villages each holds: 19 districts, 33 subdistricts,
// 47 villages.
var districtVillages = []struct {
	district     string
	subdistricts []string
	villages     []int
}{
	// Chiang Mai
	{"5004", []string{"500401", "500402"}, []int{2, 1}}, // เชียงดาว
	{"5009", []string{"500901", "500903"}, []int{2, 1}}, // ฝาง
	{"5010", []string{"501001", "501002"}, []int{2, 1}}, // แม่อาย
	{"5018", []string{"501801", "501802"}, []int{2, 1}}, // อมก๋อย
	{"5020", []string{"502001", "502002"}, []int{2, 1}}, // เวียงแหง
	{"5021", []string{"502101", "502102"}, []int{2, 1}}, // ไชยปราการ
	{"5006", []string{"500601"}, []int{2}},              // แม่แตง
	// Chiang Rai
	{"5703", []string{"570301", "570302"}, []int{2, 1}}, // เชียงของ
	{"5707", []string{"570701", "570702"}, []int{2, 1}}, // แม่จัน
	{"5708", []string{"570801", "570802"}, []int{2, 1}}, // เชียงแสน
	{"5709", []string{"570901", "570902"}, []int{2, 1}}, // แม่สาย
	{"5713", []string{"571301"}, []int{2}},              // เวียงแก่น
	{"5715", []string{"571501", "571502"}, []int{2, 1}}, // แม่ฟ้าหลวง
	// Mae Hong Son
	{"5801", []string{"580101"}, []int{2}},              // เมืองแม่ฮ่องสอน
	{"5803", []string{"580301"}, []int{1}},              // ปาย
	{"5807", []string{"580701", "580702"}, []int{1, 1}}, // ปางมะผ้า
	// Phayao
	{"5603", []string{"560301", "560306"}, []int{1, 1}}, // เชียงคำ
	{"5606", []string{"560601", "560602"}, []int{1, 1}}, // ปง
	{"5608", []string{"560801"}, []int{1}},              // ภูซาง
}

// villageNames are invented Thai village names with their romanisations.
var villageNames = [][2]string{
	{"บ้านห้วยน้ำริน", "Ban Huai Nam Rin"}, {"บ้านป่าเหมือด", "Ban Pa Mueat"}, {"บ้านดอยสามหมื่น", "Ban Doi Sam Muen"},
	{"บ้านแม่ขะจาน", "Ban Mae Kha Chan"}, {"บ้านห้วยผึ้ง", "Ban Huai Phueng"}, {"บ้านปางไม้แดง", "Ban Pang Mai Daeng"},
	{"บ้านหนองเขียว", "Ban Nong Khiao"}, {"บ้านทุ่งหลวง", "Ban Thung Luang"}, {"บ้านแม่เหียะ", "Ban Mae Hia"},
	{"บ้านผาแดง", "Ban Pha Daeng"}, {"บ้านห้วยทราย", "Ban Huai Sai"}, {"บ้านป่าคา", "Ban Pa Kha"},
	{"บ้านดอยงาม", "Ban Doi Ngam"}, {"บ้านสันติสุข", "Ban Santi Suk"}, {"บ้านห้วยไร่", "Ban Huai Rai"},
	{"บ้านแม่ลาก", "Ban Mae Lak"}, {"บ้านปางห้า", "Ban Pang Ha"}, {"บ้านหัวแม่คำ", "Ban Hua Mae Kham"},
	{"บ้านผาหมี", "Ban Pha Mi"}, {"บ้านจะแล", "Ban Cha Lae"}, {"บ้านห้วยหก", "Ban Huai Hok"},
	{"บ้านสามัคคีใหม่", "Ban Samakkhi Mai"}, {"บ้านป่าซางงาม", "Ban Pa Sang Ngam"}, {"บ้านแม่คำหล้า", "Ban Mae Kham La"},
	{"บ้านดอยแสงธรรม", "Ban Doi Saeng Tham"}, {"บ้านทุ่งพัฒนา", "Ban Thung Phatthana"}, {"บ้านห้วยเย็น", "Ban Huai Yen"},
	{"บ้านน้ำบ่อสะเป่", "Ban Nam Bo Sapao"}, {"บ้านหนองบัวคำ", "Ban Nong Bua Kham"}, {"บ้านแม่สะแงะ", "Ban Mae Sa-ngae"},
	{"บ้านป่าตึง", "Ban Pa Tueng"}, {"บ้านห้วยส้าน", "Ban Huai San"}, {"บ้านดอยล้าน", "Ban Doi Lan"},
	{"บ้านผาบ่อง", "Ban Pha Bong"}, {"บ้านนาป่าแปก", "Ban Na Pa Paek"}, {"บ้านแม่ละนา", "Ban Mae La Na"},
	{"บ้านจ่าโบ่", "Ban Cha Bo"}, {"บ้านห้วยปูลิง", "Ban Huai Pu Ling"}, {"บ้านทุ่งกล้วย", "Ban Thung Kluai"},
	{"บ้านน้ำแวนใหม่", "Ban Nam Waen Mai"}, {"บ้านขุนควร", "Ban Khun Khuan"}, {"บ้านห้วยยางขาม", "Ban Huai Yang Kham"},
	{"บ้านสบบง", "Ban Sop Bong"}, {"บ้านปางค่า", "Ban Pang Kha"}, {"บ้านร่มฟ้าทอง", "Ban Rom Fa Thong"},
	{"บ้านดอยผาหม่น", "Ban Doi Pha Mon"}, {"บ้านห้วยคอกหมู", "Ban Huai Khok Mu"},
}

// completed lists which demo villages (by index) had their plan completed by the
// meeting: 13 of 47, spread over the four provinces.
var completed = map[int]bool{0: true, 3: true, 6: true, 9: true, 13: true, 16: true, 20: true, 22: true,
	25: true, 30: true, 36: true, 40: true, 44: true}

func ptr[T any](v T) *T { return &v }

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func baht(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// New builds the dataset. It is the same every time.
func New() *Dataset {
	d := &Dataset{
		Agencies: agencies(),
		ActionPlan: program.ActionPlan{Code: ActionPlanCode, FiscalYear: FiscalYear,
			NameTh: "แผนปฏิบัติการการแก้ไขปัญหาด้านยาเสพติดพื้นที่ชายแดนภาคเหนือแบบเบ็ดเสร็จ ปีงบประมาณ ๒๕๖๔",
			NameEn: ptr("Comprehensive action plan against drugs in the northern border area, fiscal year 2564")},
		Measure: program.Measure{Code: MeasureCode, ActionPlanCode: ActionPlanCode, Number: 6,
			NameTh: "มาตรการที่ ๖ การฟื้นฟูและพัฒนา", NameEn: ptr("Measure 6: rehabilitation and development"),
			Committee: ptr("คณะประสานการพัฒนา (development coordination committee)")},
		Program: program.Program{Code: ProgramCode, MeasureCode: MeasureCode, FiscalYearFrom: 2564, FiscalYearTo: 2565,
			NameTh: "การขยายผลโครงการร้อยใจรักษ์", NameEn: ptr("Expansion of the Roi Jai Rak project"),
			Description: ptr("Government and communities act together in 47 villages, 33 subdistricts, 19 districts of 4 northern provinces; " +
				"quality village plans under the Ministry of Interior's regulation, with at least 75% of villagers taking part.")},
		Participants: []program.Participant{
			{ProgramCode: ProgramCode, AgencyCode: "ONCB-R5", Role: program.RoleLead},
			{ProgramCode: ProgramCode, AgencyCode: "ONCB", Role: program.RolePartner},
			{ProgramCode: ProgramCode, AgencyCode: "MOI-OPS", Role: program.RolePartner},
			{ProgramCode: ProgramCode, AgencyCode: "PIDTHONG", Role: program.RolePartner},
			{ProgramCode: ProgramCode, AgencyCode: "PO-50", Role: program.RolePartner},
			{ProgramCode: ProgramCode, AgencyCode: "PO-56", Role: program.RolePartner},
			{ProgramCode: ProgramCode, AgencyCode: "PO-57", Role: program.RolePartner},
			{ProgramCode: ProgramCode, AgencyCode: "PO-58", Role: program.RolePartner},
			{ProgramCode: ProgramCode, AgencyCode: "MFLF", Role: program.RoleSupporter},
		},
	}
	i := 0
	for _, dv := range districtVillages {
		for s, sub := range dv.subdistricts {
			for n := 0; n < dv.villages[s]; n++ {
				d.addVillage(i, sub, 3+n*4+i%3)
				i++
			}
		}
	}
	d.ProgramLines = []budget.Line{
		{FiscalYear: 2564, Amount: baht("1250000.50"), Source: budget.SourceAgencyCore, Status: budget.StatusApproved, AgencyCode: "ONCB-R5",
			ProgramCode: ptr(ProgramCode), Description: ptr("ONCB Region 5 core budget: staff support for village plans and drug-prevention activities in the 47 villages (demo amount)"), IsDemo: true},
		{FiscalYear: 2565, Amount: baht("1400000.00"), Source: budget.SourceAgencyCore, Status: budget.StatusRequested, AgencyCode: "ONCB-R5",
			ProgramCode: ptr(ProgramCode), Description: ptr("ONCB Region 5 core budget FY 2565 (demo amount)"), IsDemo: true},
		{FiscalYear: 2564, Amount: baht("620000.00"), Source: budget.SourceIntegratedFunction, Status: budget.StatusDisbursed, AgencyCode: "CDD",
			ProgramCode: ptr(ProgramCode), AreaCode: ptr("50"), Description: ptr("Community Development Department: occupation groups in the Chiang Mai target villages (demo amount)"), IsDemo: true},
		{FiscalYear: 2564, Amount: baht("850000.00"), Source: budget.SourceAgencyCore, Status: budget.StatusDisbursed, AgencyCode: "PIDTHONG",
			ProgramCode: ptr(ProgramCode), Description: ptr("Pid Thong institute: AD1–3 facilitators (demo amount)"), IsDemo: true},
	}
	d.Meeting = followUpMeeting()
	d.FeedSchedules = []FeedSchedule{{AgencyCode: "MOI-OPS", Kind: "village", Every: 30 * 24 * time.Hour}}
	return d
}

func (d *Dataset) addVillage(i int, subdistrict string, moo int) {
	code := fmt.Sprintf("%s%02d", subdistrict, moo)
	name := villageNames[i]
	households := 80 + (i*37)%220
	d.Villages = append(d.Villages, area.Village{Code: code, SubdistrictCode: subdistrict, Moo: moo,
		NameTh: name[0], NameEn: ptr(name[1]), Households: ptr(households), Population: ptr(households*3 + (i*13)%90), IsDemo: true})

	p := Plan{Plan: plan.Plan{VillageCode: code, FiscalYear: FiscalYear, IsDemo: true}}
	province := code[:2]
	if completed[i] {
		p.Status = plan.StatusCompleted
		p.ScheduledStart, p.ScheduledEnd = date(2020, time.November, 2), date(2020, time.December, 30)
		p.CompletedOn = date(2020, time.December, 10+i%20)
		p.ParticipationRate = ptr(float64(76 + (i*7)%20))
		p.Items = []Item{
			{Item: plan.Item{Position: 1, Title: "กิจกรรมป้องกันยาเสพติดในหมู่บ้าน (drug-prevention activities)", Category: plan.CategoryPrevention,
				ResponsibleAgencyCode: ptr("ONCB-R5"), IsDemo: true},
				Lines: []budget.Line{{FiscalYear: 2564, Amount: baht(fmt.Sprintf("%d.00", 45000+i*1000)), Source: budget.SourceAgencyCore,
					Status: budget.StatusDisbursed, AgencyCode: "ONCB-R5", IsDemo: true}}},
			{Item: plan.Item{Position: 2, Title: "ส่งเสริมอาชีพและรายได้ (livelihood and income)", Category: plan.CategoryLivelihood,
				ResponsibleAgencyCode: ptr("CDD"), IsDemo: true},
				Lines: []budget.Line{{FiscalYear: 2565, Amount: baht(fmt.Sprintf("%d.00", 150000+i*2500)), Source: budget.SourceIntegratedFunction,
					Status: budget.StatusApproved, AgencyCode: "CDD", IsDemo: true}}},
			{Item: plan.Item{Position: 3, Title: "ระบบประปาหมู่บ้าน (village water supply)", Category: plan.CategoryInfrastructure,
				ResponsibleAgencyCode: ptr("PO-" + province), IsDemo: true},
				Lines: []budget.Line{{FiscalYear: 2565, Amount: baht(fmt.Sprintf("%d.50", 300000+i*5000)), Source: budget.SourceIntegratedFunction,
					Status: budget.StatusRequested, AgencyCode: "PO-" + province, IsDemo: true}}},
		}
	} else {
		p.Status = plan.StatusNotStarted
		p.ScheduledStart, p.ScheduledEnd = date(2021, time.January, 25), date(2021, time.March, 31)
	}
	p.Facilitators = []plan.Facilitator{
		{Role: plan.RoleDeputyDistrictOfficer, Name: fmt.Sprintf("ปลัดอำเภอสาธิต %d (demo)", i+1), AgencyCode: ptr("MOI-OPS"), IsDemo: true},
		{Role: plan.RoleAD1, Name: fmt.Sprintf("ผู้ประสานงานสาธิต %d (demo)", i+1), Phone: ptr(fmt.Sprintf("08%08d", 10000000+i)), AgencyCode: ptr("PIDTHONG"), IsDemo: true},
	}
	d.Plans = append(d.Plans, p)
}

func agencies() []agency.Agency {
	return []agency.Agency{
		{Code: "ONCB", Kind: agency.KindONCBCentral, NameTh: "สำนักงานคณะกรรมการป้องกันและปราบปรามยาเสพติด (ป.ป.ส.)",
			NameEn: ptr("Office of the Narcotics Control Board")},
		{Code: "ONCB-R5", Kind: agency.KindONCBRegional, NameTh: "สำนักงาน ป.ป.ส. ภาค ๕", NameEn: ptr("ONCB Region 5"),
			ParentCode: ptr("ONCB"), AreaCodes: []string{"50", "56", "57", "58"}},
		{Code: "MOI-OPS", Kind: agency.KindMOI, NameTh: "สำนักงานปลัดกระทรวงมหาดไทย",
			NameEn: ptr("Office of the Permanent Secretary, Ministry of Interior")},
		{Code: "PIDTHONG", Kind: agency.KindPidThong, NameTh: "สถาบันส่งเสริมและพัฒนากิจกรรมปิดทองหลังพระ สืบสานแนวทางพระราชดำริ",
			NameEn: ptr("Institute for the Promotion and Development of Royal Initiative Activities (Pid Thong)")},
		{Code: "MFLF", Kind: agency.KindFoundation, NameTh: "มูลนิธิแม่ฟ้าหลวง ในพระบรมราชูปถัมภ์",
			NameEn: ptr("Mae Fah Luang Foundation under Royal Patronage")},
		{Code: "CDD", Kind: agency.KindFunctionAgency, NameTh: "กรมการพัฒนาชุมชน", NameEn: ptr("Community Development Department"),
			ParentCode: ptr("MOI-OPS")},
		{Code: "PO-50", Kind: agency.KindProvincialOffice, NameTh: "สำนักงานจังหวัดเชียงใหม่", NameEn: ptr("Chiang Mai Provincial Office"), AreaCodes: []string{"50"}},
		{Code: "PO-56", Kind: agency.KindProvincialOffice, NameTh: "สำนักงานจังหวัดพะเยา", NameEn: ptr("Phayao Provincial Office"), AreaCodes: []string{"56"}},
		{Code: "PO-57", Kind: agency.KindProvincialOffice, NameTh: "สำนักงานจังหวัดเชียงราย", NameEn: ptr("Chiang Rai Provincial Office"), AreaCodes: []string{"57"}},
		{Code: "PO-58", Kind: agency.KindProvincialOffice, NameTh: "สำนักงานจังหวัดแม่ฮ่องสอน", NameEn: ptr("Mae Hong Son Provincial Office"), AreaCodes: []string{"58"}},
		{Code: "DPM-50", Kind: agency.KindFunctionAgency, NameTh: "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดเชียงใหม่",
			NameEn: ptr("Chiang Mai Provincial Disaster Prevention and Mitigation Office"), AreaCodes: []string{"50"}},
		{Code: "DPM-56", Kind: agency.KindFunctionAgency, NameTh: "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดพะเยา",
			NameEn: ptr("Phayao Provincial Disaster Prevention and Mitigation Office"), AreaCodes: []string{"56"}},
		{Code: "DPM-57", Kind: agency.KindFunctionAgency, NameTh: "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดเชียงราย",
			NameEn: ptr("Chiang Rai Provincial Disaster Prevention and Mitigation Office"), AreaCodes: []string{"57"}},
		{Code: "DPM-58", Kind: agency.KindFunctionAgency, NameTh: "สำนักงานป้องกันและบรรเทาสาธารณภัยจังหวัดแม่ฮ่องสอน",
			NameEn: ptr("Mae Hong Son Provincial Disaster Prevention and Mitigation Office"), AreaCodes: []string{"58"}},
	}
}

// MeetingTitle is the title of the demo meeting, by which the loader finds it again.
const MeetingTitle = "ประชุมติดตามการดำเนินงานมาตรการที่ ๖ การฟื้นฟูและพัฒนา ตามแผนปฏิบัติการการแก้ไขปัญหาด้านยาเสพติดพื้นที่ชายแดนภาคเหนือแบบเบ็ดเสร็จ ปีงบประมาณ ๒๕๖๔"

func followUpMeeting() meeting.Record {
	bangkok := time.FixedZone("ICT", 7*60*60)
	return meeting.Record{
		Meeting: meeting.Meeting{
			Title:           MeetingTitle,
			HeldAt:          time.Date(2021, time.January, 21, 14, 0, 0, 0, bangkok),
			ChairName:       ptr("นายไกรเลิศ ดาวเรือง"),
			ChairPosition:   ptr("ผู้อำนวยการสำนักงาน ป.ป.ส. ภาค ๕ (ผอ.ปปส.ภ.๕)"),
			ChairAgencyCode: ptr("ONCB-R5"),
			Format:          meeting.FormatVideoConference,
			Venue:           ptr("ห้องประชุม POC ศาลากลางจังหวัดเชียงใหม่"),
			ProgramCode:     ptr(ProgramCode),
			Summary: ptr("ผอ.ปปส.ภ.๕ ขอให้ทุกภาคีเน้นการมีส่วนร่วม เพื่อแก้ปัญหาเศรษฐกิจ สังคม และยาเสพติดอย่างครบทุกด้าน " +
				"และขอบคุณผู้ว่าราชการจังหวัดทั้ง ๔ จังหวัด สถาบันปิดทองหลังพระฯ และมูลนิธิแม่ฟ้าหลวงฯ"),
		},
		AgencyCodes: []string{"ONCB", "ONCB-R5", "MOI-OPS", "PIDTHONG", "PO-50", "PO-56", "PO-57", "PO-58", "DPM-50", "DPM-56", "DPM-57", "DPM-58"},
		AgendaItems: []meeting.AgendaItem{
			{Title: "ทบทวนความเป็นมาและรายงานความก้าวหน้าการขยายผลโครงการร้อยใจรักษ์",
				Summary: ptr("ดำเนินการในพื้นที่ ๔๗ หมู่บ้าน ๓๓ ตำบล ๑๙ อำเภอ ๔ จังหวัด")},
			{Title: "การขับเคลื่อนการจัดทำแผนหมู่บ้านเชิงคุณภาพ",
				Summary: ptr("แล้วเสร็จ ๑๓ หมู่บ้าน คงเหลือ ๓๔ หมู่บ้าน กำหนดดำเนินการ ๒๕ มกราคม – ๓๑ มีนาคม ๒๕๖๔ โดยกลไกอำเภอ ปลัดอำเภอประจำตำบล " +
					"ประชาชนมีส่วนร่วมไม่น้อยกว่าร้อยละ ๗๕ และ AD1-3 ตามระเบียบกระทรวงมหาดไทยว่าด้วยแผนพัฒนาหมู่บ้าน")},
			{Title: "ประเด็นเน้นย้ำ: เร่งรัดแผนหมู่บ้านและบูรณาการแผนงานงบประมาณ",
				Summary: ptr("บูรณาการงบหลักของหน่วยงานและงบ Function โดยสำนักงานจังหวัดเป็นกลไกบูรณาการ ผู้ว่าราชการจังหวัดกำชับระดับอำเภอ " +
					"ระวังโควิด-19 ไม่ยุ่งเกี่ยวการเมืองท้องถิ่น และจัดทำแผนในระบบ 1Plan ระดับตำบล อำเภอ และจังหวัด")},
			{Title: "การดำเนินการระยะต่อไป ปีงบประมาณ ๒๕๖๔–๖๕"},
		},
		ActionItems: []meeting.ActionItem{
			{Title: "จัดทำแผนหมู่บ้านเชิงคุณภาพที่เหลือ ๓๔ หมู่บ้านให้แล้วเสร็จ", OwnerAgencyCode: ptr("MOI-OPS"), DueOn: date(2021, time.March, 31)},
			{Title: "ขับเคลื่อนแผนหมู่บ้านทั้ง ๔๗ หมู่บ้านให้เกิดผลจริง", OwnerAgencyCode: ptr("ONCB-R5"), DueOn: date(2022, time.September, 30)},
			{Title: "ประชุมบูรณาการแผนหมู่บ้าน ๔๗ หมู่บ้านระดับจังหวัด ระหว่าง ป.ป.ส. สถาบันปิดทองหลังพระฯ และ ๔ จังหวัด", OwnerAgencyCode: ptr("ONCB-R5")},
			{Title: "สนับสนุนเจ้าหน้าที่ร่วมจัดทำแผนหมู่บ้าน/ชุมชนในพื้นที่สำคัญ", OwnerAgencyCode: ptr("ONCB-R5")},
			{Title: "สนับสนุนกิจกรรมป้องกันยาเสพติดในพื้นที่ทั้ง ๔๗ หมู่บ้าน", OwnerAgencyCode: ptr("ONCB-R5"), DueOn: date(2022, time.September, 30)},
			{Title: "จัดทำแผนในระบบ 1Plan ระดับตำบล อำเภอ และจังหวัด", OwnerAgencyCode: ptr("PO-50")},
		},
	}
}
