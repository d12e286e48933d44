package thai

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// months maps the Thai full and abbreviated month names, with and without dots,
// and English abbreviations, to months.
var months = func() map[string]time.Month {
	m := map[string]time.Month{}
	full := []string{"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
		"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"}
	abbr := []string{"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
		"ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."}
	for i := range full {
		mon := time.Month(i + 1)
		m[full[i]] = mon
		m[abbr[i]] = mon
		m[strings.ReplaceAll(abbr[i], ".", "")] = mon
		m[strings.ToLower(mon.String()[:3])] = mon
		m[strings.ToLower(mon.String())] = mon
	}
	return m
}()

// ParseDate reads a calendar date written as ISO 8601 ("2021-01-25", Common Era) or
// Thai style with a Buddhist-Era year ("25 ม.ค. 2564", "๒๕ มกราคม พ.ศ. ๒๕๖๔",
// "25/01/2564"). Thai-style years below 2400 are taken as Common Era.
func ParseDate(s string) (time.Time, error) {
	t := strings.TrimSpace(Digits(s))
	if t == "" {
		return time.Time{}, fmt.Errorf("empty date")
	}
	if d, err := time.Parse(time.DateOnly, t); err == nil {
		if d.Year() >= 2400 {
			return time.Time{}, fmt.Errorf("%q: ISO dates are in the Common Era; for a Buddhist-Era year write it Thai style, such as 25/01/%d", s, d.Year())
		}
		return d, nil
	}
	if strings.Count(t, "/") == 2 {
		p := strings.Split(t, "/")
		day, e1 := strconv.Atoi(strings.TrimSpace(p[0]))
		mon, e2 := strconv.Atoi(strings.TrimSpace(p[1]))
		year, e3 := strconv.Atoi(strings.TrimSpace(p[2]))
		if e1 == nil && e2 == nil && e3 == nil && mon >= 1 && mon <= 12 {
			return makeDate(s, day, time.Month(mon), year)
		}
		return time.Time{}, fmt.Errorf("%q is not a date: write day/month/year, such as 25/01/2564", s)
	}
	t = strings.ReplaceAll(t, "พ.ศ.", " ")
	fields := strings.Fields(t)
	if len(fields) == 3 {
		day, e1 := strconv.Atoi(fields[0])
		mon, ok := months[strings.ToLower(fields[1])]
		year, e3 := strconv.Atoi(fields[2])
		if e1 == nil && ok && e3 == nil {
			return makeDate(s, day, mon, year)
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: write YYYY-MM-DD or Thai style, such as 25 ม.ค. 2564", s)
}

func makeDate(s string, day int, mon time.Month, year int) (time.Time, error) {
	if year >= 2400 {
		year -= EraOffset
	}
	if year < 1800 || year > 2200 {
		return time.Time{}, fmt.Errorf("%q: year out of range", s)
	}
	d := time.Date(year, mon, day, 0, 0, 0, 0, time.UTC)
	if d.Day() != day || d.Month() != mon {
		return time.Time{}, fmt.Errorf("%q: no such day", s)
	}
	return d, nil
}
