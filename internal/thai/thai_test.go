package thai

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestDigitsAndNumber(t *testing.T) {
	for in, want := range map[string]string{
		"๒๕๖๔":         "2564",
		"หมู่ที่ ๗":    "หมู่ที่ 7",
		"2564":         "2564",
		"":             "",
		"๑,๒๕๐,๐๐๐.๕๐": "1,250,000.50",
	} {
		if got := Digits(in); got != want {
			t.Errorf("Digits(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		" ๑,๒๕๐,๐๐๐.๕๐ ": "1250000.50",
		"1 250 000":      "1250000",
		"42":             "42",
	} {
		if got := Number(in); got != want {
			t.Errorf("Number(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseFiscalYear(t *testing.T) {
	for in, want := range map[string]int{"2564": 2564, "๒๕๖๔": 2564, " พ.ศ. ๒๕๖๕ ": 2565, "ปีงบประมาณ 2566": 2566, "FY2564": 2564} {
		got, err := ParseFiscalYear(in)
		if err != nil || got != want {
			t.Errorf("ParseFiscalYear(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, hint := range map[string]string{"2021": "did you mean 2564", "1999": "did you mean 2542", "1900": "out of range", "สองพัน": "not a fiscal year", "": "not a fiscal year", "2701": "out of range"} {
		_, err := ParseFiscalYear(in)
		if err == nil || !strings.Contains(err.Error(), hint) {
			t.Errorf("ParseFiscalYear(%q) error = %v, want one saying %q", in, err, hint)
		}
	}
}

func TestFiscalYearOf(t *testing.T) {
	for _, tt := range []struct {
		date string
		fy   int
	}{{"2020-09-30", 2563}, {"2020-10-01", 2564}, {"2021-01-21", 2564}, {"2021-09-30", 2564}, {"2021-10-01", 2565}} {
		d, _ := time.Parse(time.DateOnly, tt.date)
		if got := FiscalYearOf(d); got != tt.fy {
			t.Errorf("FiscalYearOf(%s) = %d, want %d", tt.date, got, tt.fy)
		}
		first, last := FiscalYearBounds(tt.fy)
		if d.Before(first) || d.After(last) {
			t.Errorf("%s is outside FiscalYearBounds(%d) = %s–%s", tt.date, tt.fy, first, last)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2021-01-25":         "2021-01-25",
		"25 ม.ค. 2564":       "2021-01-25",
		"25 ม.ค. พ.ศ. 2564":  "2021-01-25",
		"๒๕ มกราคม ๒๕๖๔":     "2021-01-25",
		"31 มี.ค. 2564":      "2021-03-31",
		"1 ต.ค. 2563":        "2020-10-01",
		"25/01/2564":         "2021-01-25",
		"๒๕/๑/๒๕๖๔":          "2021-01-25",
		"25/01/2021":         "2021-01-25",
		"29 ก.พ. 2563":       "2020-02-29",
		"5 Jan 2021":         "2021-01-05",
		"  21 มกราคม 2564  ": "2021-01-21",
		"21 มค 2564":         "2021-01-21",
	} {
		got, err := ParseDate(in)
		if err != nil || got.Format(time.DateOnly) != want {
			t.Errorf("ParseDate(%q) = %s, %v; want %s", in, got.Format(time.DateOnly), err, want)
		}
	}
	for _, in := range []string{"", "tomorrow", "2564-01-25", "29 ก.พ. 2564", "31/04/2564", "25 มกรา 2564", "25/13/2564", "2021-02-30", "1/1/99999"} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %s, want an error", in, d.Format(time.DateOnly))
		}
	}
}

// The parsers never panic, and whatever they accept is a real date or year in range
// that reads back the same.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2021-01-25", "25 ม.ค. 2564", "๒๕/๑/๒๕๖๔", "31 ธันวาคม 2600", "", "1/1/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.Year() < 1800 || d.Year() > 2200 {
			t.Fatalf("ParseDate(%q) = %s: year out of range", s, d)
		}
		again, err := ParseDate(d.Format(time.DateOnly))
		if err != nil || !again.Equal(d) {
			t.Fatalf("ParseDate(%q) = %s does not read back: %s, %v", s, d, again, err)
		}
	})
}

func FuzzParseFiscalYear(f *testing.F) {
	for _, s := range []string{"2564", "๒๕๖๔", "พ.ศ. 2565", "2021", "-1", "ปีงบ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, err := ParseFiscalYear(s)
		if err != nil {
			return
		}
		if y < MinFiscalYear || y > MaxFiscalYear {
			t.Fatalf("ParseFiscalYear(%q) = %d, out of range", s, y)
		}
		if again, err := ParseFiscalYear(strconv.Itoa(y)); err != nil || again != y {
			t.Fatalf("%d does not read back: %d, %v", y, again, err)
		}
	})
}
