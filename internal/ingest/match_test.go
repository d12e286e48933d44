package ingest_test

import (
	"strings"
	"testing"

	"github.com/prasan-hub/prasan/internal/ingest"
)

func TestGazetteer(t *testing.T) {
	g := ingest.NewGazetteer([]ingest.Place{
		{Code: "50", NameTh: "เชียงใหม่"}, {Code: "57", NameTh: "เชียงราย"},
		{Code: "5004", NameTh: "เชียงดาว"}, {Code: "5703", NameTh: "เชียงของ"}, {Code: "5708", NameTh: "เชียงแสน"},
		{Code: "500401", NameTh: "เชียงดาว"}, {Code: "570301", NameTh: "เวียง"}, {Code: "570801", NameTh: "เวียง"},
	})
	for _, tt := range []struct {
		province, district, subdistrict, want string
	}{
		{"เชียงใหม่", "เชียงดาว", "เชียงดาว", "500401"},
		{"จ.เชียงใหม่", "อำเภอ เชียงดาว", "ตำบลเชียงดาว", "500401"},
		{"", "", "ต. เชียง ดาว", "500401"},
		{"จังหวัดเชียงราย", "อ.เชียงแสน", "เวียง", "570801"},
	} {
		got, err := g.Subdistrict(tt.province, tt.district, tt.subdistrict)
		if err != nil || got != tt.want {
			t.Errorf("Subdistrict(%q, %q, %q) = %q, %v; want %s", tt.province, tt.district, tt.subdistrict, got, err, tt.want)
		}
	}
	if _, err := g.Subdistrict("เชียงราย", "", "เวียง"); err == nil || !strings.Contains(err.Error(), "570301, 570801") {
		t.Errorf("ambiguous: %v", err)
	}
	if _, err := g.Subdistrict("เชียงใหม่", "", "เวียง"); err == nil || !strings.Contains(err.Error(), "no subdistrict") {
		t.Errorf("unknown: %v", err)
	}
	if n := ingest.NormalizeName("บ้าน ห้วย น้ำริน", ingest.VillagePrefixes...); n != "ห้วยน้ำริน" {
		t.Errorf("village name %q", n)
	}
}
