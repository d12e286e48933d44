// Package refdata holds the reference geography of Thailand shipped with the hub:
// every province, district and subdistrict with its DOPA code and Thai name
// (th-admin-areas.csv; see README.md beside it for its sources and limits).
package refdata

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
)

//go:embed th-admin-areas.csv
var adminAreasCSV []byte

// Area is one province, district or subdistrict of the reference data.
type Area struct {
	Code       string
	ParentCode *string
	NameTh     string
	Postcodes  []string
}

// AdminAreas is the reference geography, parents before children, with a digest
// that changes whenever the file does.
type AdminAreas struct {
	Name   string
	SHA256 string
	Areas  []Area
}

// LoadAdminAreas parses the embedded file.
func LoadAdminAreas() (*AdminAreas, error) {
	sum := sha256.Sum256(adminAreasCSV)
	areas, err := parseAdminAreas(bytes.NewReader(adminAreasCSV))
	if err != nil {
		return nil, fmt.Errorf("th-admin-areas.csv: %w", err)
	}
	return &AdminAreas{Name: "th-admin-areas", SHA256: hex.EncodeToString(sum[:]), Areas: areas}, nil
}

// parseAdminAreas reads rows of province, district and subdistrict (one row per
// subdistrict and postcode) into distinct areas, parents first.
func parseAdminAreas(r io.Reader) ([]Area, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, err
	}
	want := []string{"province_code", "province_name_th", "amphoe_code", "amphoe_name_th", "tambon_code", "tambon_name_th", "postcode"}
	if !slices.Equal(header, want) {
		return nil, fmt.Errorf("unexpected header %v", header)
	}
	byCode := map[string]*Area{}
	var order []string
	add := func(code, parent, name string) *Area {
		if a, ok := byCode[code]; ok {
			return a
		}
		a := &Area{Code: code, NameTh: name}
		if parent != "" {
			a.ParentCode = &parent
		}
		byCode[code] = a
		order = append(order, code)
		return a
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		add(rec[0], "", rec[1])
		add(rec[2], rec[0], rec[3])
		t := add(rec[4], rec[2], rec[5])
		if rec[6] != "" && !slices.Contains(t.Postcodes, rec[6]) {
			t.Postcodes = append(t.Postcodes, rec[6])
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return len(a) - len(b) })
	out := make([]Area, len(order))
	for i, c := range order {
		out[i] = *byCode[c]
	}
	return out, nil
}
