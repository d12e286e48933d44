package thai

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EraOffset is the difference between a Buddhist-Era and a Common-Era year.
const EraOffset = 543

// Fiscal years the hub accepts, in the Buddhist Era. The lower bound is well before
// any record the hub holds; the upper bound leaves room for long-term plans.
const (
	MinFiscalYear = 2500
	MaxFiscalYear = 2700
)

// ParseFiscalYear reads a fiscal year typed in the Buddhist Era, with Arabic or Thai
// digits, optionally prefixed "พ.ศ." or "ปีงบประมาณ". A Common-Era year gets an error
// that suggests the Buddhist-Era one.
func ParseFiscalYear(s string) (int, error) {
	t := strings.TrimSpace(s)
	for _, prefix := range []string{"ปีงบประมาณ", "ปีงบ", "พ.ศ.", "พ.ศ", "FY", "fy"} {
		t = strings.TrimSpace(strings.TrimPrefix(t, prefix))
	}
	n, err := strconv.Atoi(Number(t))
	if err != nil {
		return 0, fmt.Errorf("%q is not a fiscal year: write the Buddhist-Era year, such as 2564", s)
	}
	return CheckFiscalYear(n)
}

// CheckFiscalYear returns y when it is a plausible Buddhist-Era fiscal year.
func CheckFiscalYear(y int) (int, error) {
	switch {
	case y >= MinFiscalYear-EraOffset && y <= MaxFiscalYear-EraOffset:
		return 0, fmt.Errorf("%d looks like a Common-Era year: fiscal years are in the Buddhist Era, did you mean %d?", y, y+EraOffset)
	case y < MinFiscalYear || y > MaxFiscalYear:
		return 0, fmt.Errorf("fiscal year %d is out of range %d–%d (Buddhist Era)", y, MinFiscalYear, MaxFiscalYear)
	}
	return y, nil
}

// FiscalYearOf returns the Buddhist-Era fiscal year a date falls in: the Thai fiscal
// year runs from 1 October to 30 September and is named after the year it ends in.
func FiscalYearOf(d time.Time) int {
	y := d.Year()
	if d.Month() >= time.October {
		y++
	}
	return y + EraOffset
}

// FiscalYearBounds returns the first and last day of a Buddhist-Era fiscal year.
func FiscalYearBounds(fy int) (first, last time.Time) {
	ce := fy - EraOffset
	first = time.Date(ce-1, time.October, 1, 0, 0, 0, 0, time.UTC)
	last = time.Date(ce, time.September, 30, 0, 0, 0, 0, time.UTC)
	return first, last
}
