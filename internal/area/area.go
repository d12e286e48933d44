// Package area holds Thailand's administrative geography: provinces, districts,
// subdistricts and villages, keyed by their DOPA codes.
package area

import (
	"fmt"
	"strings"

	"github.com/prasan-hub/prasan/internal/thai"
)

// Level is a level of the administrative geography.
type Level string

// The levels, from the top.
const (
	LevelProvince    Level = "PROVINCE"
	LevelDistrict    Level = "DISTRICT"
	LevelSubdistrict Level = "SUBDISTRICT"
	LevelVillage     Level = "VILLAGE"
)

// LevelOf returns the level of a well-formed code by its length.
func LevelOf(code string) Level {
	switch len(code) {
	case 2:
		return LevelProvince
	case 4:
		return LevelDistrict
	case 6:
		return LevelSubdistrict
	default:
		return LevelVillage
	}
}

// ParseCode normalises a typed area code (Thai digits, spaces) and checks its shape:
// 2, 4, 6 or 8 digits.
func ParseCode(s string) (string, error) {
	c := strings.ReplaceAll(thai.Number(s), "-", "")
	switch len(c) {
	case 2, 4, 6, 8:
	default:
		return "", fmt.Errorf("%q is not an area code: expected 2 (province), 4 (district), 6 (subdistrict) or 8 (village) digits", s)
	}
	for i := 0; i < len(c); i++ {
		if c[i] < '0' || c[i] > '9' {
			return "", fmt.Errorf("%q is not an area code: only digits are allowed", s)
		}
	}
	return c, nil
}

// ParseLevelCode is ParseCode for a code that must be of the given level.
func ParseLevelCode(s string, l Level) (string, error) {
	c, err := ParseCode(s)
	if err != nil {
		return "", err
	}
	if LevelOf(c) != l {
		return "", fmt.Errorf("%q is a %s code, expected a %s code", s, strings.ToLower(string(LevelOf(c))), strings.ToLower(string(l)))
	}
	return c, nil
}

// Province is a จังหวัด.
type Province struct {
	Code   string
	NameTh string
	NameEn *string
}

// District is an อำเภอ (or a khet in Bangkok).
type District struct {
	Code         string
	ProvinceCode string
	NameTh       string
	NameEn       *string
}

// Subdistrict is a ตำบล (or a khwaeng in Bangkok).
type Subdistrict struct {
	Code         string
	DistrictCode string
	NameTh       string
	NameEn       *string
	Postcodes    []string
}

// ProvinceCode returns the code of the subdistrict's province.
func (s *Subdistrict) ProvinceCode() string { return s.Code[:2] }

// Village is a หมู่บ้าน.
type Village struct {
	Code            string
	SubdistrictCode string
	Moo             int
	NameTh          string
	NameEn          *string
	Households      *int
	Population      *int
	IsDemo          bool
}

// DistrictCode returns the code of the village's district.
func (v *Village) DistrictCode() string { return v.Code[:4] }

// ProvinceCode returns the code of the village's province.
func (v *Village) ProvinceCode() string { return v.Code[:2] }

// Level methods let every area answer the Area interface of the schema.

// Level is PROVINCE.
func (*Province) Level() Level { return LevelProvince }

// Level is DISTRICT.
func (*District) Level() Level { return LevelDistrict }

// Level is SUBDISTRICT.
func (*Subdistrict) Level() Level { return LevelSubdistrict }

// Level is VILLAGE.
func (*Village) Level() Level { return LevelVillage }

// Area is any administrative area.
type Area interface {
	Level() Level
}
