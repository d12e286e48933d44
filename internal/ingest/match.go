package ingest

import (
	"fmt"
	"sort"
	"strings"

	"github.com/prasan-hub/prasan/internal/thai"
)

// Place names are typed many ways: with or without "จังหวัด", "อำเภอ", "ตำบล" or their
// abbreviations, with spaces, with "บ้าน" before a village's name. NormalizeName
// reduces a name to what two spellings of one place share.
func NormalizeName(s string, prefixes ...string) string {
	s = strings.TrimSpace(thai.Digits(s))
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			s = strings.TrimSpace(strings.TrimPrefix(s, p))
			break
		}
	}
	return strings.Join(strings.Fields(s), "")
}

// Prefixes of each level's names, longest first.
var (
	ProvincePrefixes    = []string{"จังหวัด", "จ."}
	DistrictPrefixes    = []string{"อำเภอ", "เขต", "อ."}
	SubdistrictPrefixes = []string{"ตำบล", "แขวง", "ต."}
	VillagePrefixes     = []string{"บ้าน"}
)

// Place is an area of the reference geography, for matching by name.
type Place struct {
	Code       string
	ParentCode string
	NameTh     string
}

// Gazetteer finds subdistricts by the names of their province, district and
// subdistrict.
type Gazetteer struct {
	byName map[string][]Place // normalised subdistrict name → subdistricts
	names  map[string]string  // code → normalised name (provinces and districts)
}

// NewGazetteer indexes the provinces, districts and subdistricts given.
func NewGazetteer(places []Place) *Gazetteer {
	g := &Gazetteer{byName: map[string][]Place{}, names: map[string]string{}}
	for _, p := range places {
		switch len(p.Code) {
		case 2:
			g.names[p.Code] = NormalizeName(p.NameTh, ProvincePrefixes...)
		case 4:
			g.names[p.Code] = NormalizeName(p.NameTh, DistrictPrefixes...)
		case 6:
			n := NormalizeName(p.NameTh, SubdistrictPrefixes...)
			g.byName[n] = append(g.byName[n], p)
		}
	}
	return g
}

// Subdistrict finds the subdistrict with the given names; the province and district
// may be empty, then they do not narrow. It returns the code, or an error that lists
// the candidates when there are several, or says none matched.
func (g *Gazetteer) Subdistrict(province, district, subdistrict string) (string, error) {
	want := NormalizeName(subdistrict, SubdistrictPrefixes...)
	if want == "" {
		return "", fmt.Errorf("no subdistrict name")
	}
	prov, dist := NormalizeName(province, ProvincePrefixes...), NormalizeName(district, DistrictPrefixes...)
	var hits []Place
	for _, p := range g.byName[want] {
		if (prov == "" || g.names[p.Code[:2]] == prov) && (dist == "" || g.names[p.Code[:4]] == dist) {
			hits = append(hits, p)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0].Code, nil
	case 0:
		return "", fmt.Errorf("no subdistrict %q in district %q, province %q", subdistrict, district, province)
	}
	var c []string
	for _, h := range hits {
		c = append(c, h.Code)
	}
	sort.Strings(c)
	return "", fmt.Errorf("subdistrict %q is ambiguous: candidates %s; name the district and province", subdistrict, strings.Join(c, ", "))
}
