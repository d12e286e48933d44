// Package ingest holds what agencies push into the hub: records keyed by the
// sender's own sourceId, checked field by field, and the per-record results of a
// batch. Parsing of files and matching by names build on it.
package ingest

import (
	"sort"
	"strconv"

	"github.com/prasan-hub/prasan/internal/thai"

	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/prasan-hub/prasan/internal/area"
)

// Status is what a batch did, or would do, with one record.
type Status string

// The statuses.
const (
	StatusCreated   Status = "CREATED"
	StatusUpdated   Status = "UPDATED"
	StatusUnchanged Status = "UNCHANGED"
	StatusRejected  Status = "REJECTED"
)

// Channel is how a batch arrived.
type Channel string

// The channels.
const (
	ChannelAPI    Channel = "api"
	ChannelCLI    Channel = "cli"
	ChannelUpload Channel = "upload"
)

// MaxRecords is the most records one call may carry.
const MaxRecords = 5000

// Result is the outcome for one record of a batch.
type Result struct {
	Index    int
	SourceID string
	Status   Status
	// Key is the hub's key of the object the record names (a village code).
	Key     *string
	Field   *string
	Message *string
}

// Batch is the outcome of a call: applied only when no record was rejected and it
// was not a dry run.
type Batch struct {
	ID        *int64
	DryRun    bool
	Applied   bool
	Created   int
	Updated   int
	Unchanged int
	Rejected  int
	Results   []*Result
}

// Count fills the batch's totals from its results.
func (b *Batch) Count() {
	b.Created, b.Updated, b.Unchanged, b.Rejected = 0, 0, 0, 0
	for _, r := range b.Results {
		switch r.Status {
		case StatusCreated:
			b.Created++
		case StatusUpdated:
			b.Updated++
		case StatusUnchanged:
			b.Unchanged++
		case StatusRejected:
			b.Rejected++
		}
	}
}

// Reject marks the result rejected because of field, unless it already is.
func (r *Result) Reject(field, format string, args ...any) {
	if r.Status == StatusRejected {
		return
	}
	msg := fmt.Sprintf(format, args...)
	r.Status, r.Field, r.Message = StatusRejected, &field, &msg
}

// VillageRecord is one village as MOI's registry (or another agency) sends it. A
// sender that does not know the village's code names its place instead: the
// province, district and subdistrict, and the village number (moo).
type VillageRecord struct {
	SourceID    string
	Code        string
	NameTh      string
	NameEn      *string
	Households  *int
	Population  *int
	Province    string `json:"-"`
	District    string `json:"-"`
	Subdistrict string `json:"-"`
	Moo         string `json:"-"`
}

// VillagesOf lists the villages of a subdistrict, for matching by village name.
type VillagesOf func(subdistrictCode string) ([]Place, error)

// Resolve fills in the code of a record that names its place instead, with the
// gazetteer: the subdistrict by its names, then the village by its number, or by its
// own name among the subdistrict's villages (villages) when no number is given. It
// returns the field at fault and why, or "" when the record has a code (or now has
// one).
func (v *VillageRecord) Resolve(g *Gazetteer, villages VillagesOf) (field, message string) {
	if strings.TrimSpace(v.Code) != "" {
		return "", ""
	}
	if strings.TrimSpace(v.Subdistrict) == "" {
		return "code", "give the village code, or its province, district, subdistrict and village number"
	}
	sub, err := g.Subdistrict(v.Province, v.District, v.Subdistrict)
	if err != nil {
		return "subdistrict", err.Error()
	}
	if strings.TrimSpace(v.Moo) == "" {
		return v.matchByName(sub, villages)
	}
	moo, err := strconv.Atoi(strings.TrimPrefix(thai.Number(v.Moo), "หมู่ที่"))
	if err != nil || moo < 1 || moo > 99 {
		return "moo", fmt.Sprintf("village number (หมู่ที่) %q is not a number from 1 to 99", v.Moo)
	}
	v.Code = fmt.Sprintf("%s%02d", sub, moo)
	return "", ""
}

// matchByName finds the record's village among the subdistrict's by its name, with
// or without "บ้าน" and spaces.
func (v *VillageRecord) matchByName(sub string, villages VillagesOf) (field, message string) {
	want := NormalizeName(v.NameTh, VillagePrefixes...)
	if villages == nil || want == "" {
		return "moo", "give the village number (หมู่ที่)"
	}
	known, err := villages(sub)
	if err != nil {
		return "moo", "the villages of subdistrict " + sub + " cannot be read now: give the village number"
	}
	var hits []string
	for _, k := range known {
		if NormalizeName(k.NameTh, VillagePrefixes...) == want {
			hits = append(hits, k.Code)
		}
	}
	switch len(hits) {
	case 1:
		v.Code = hits[0]
		return "", ""
	case 0:
		return "moo", fmt.Sprintf("no village named %q in subdistrict %s: give its number (หมู่ที่)", v.NameTh, sub)
	}
	sort.Strings(hits)
	return "moo", fmt.Sprintf("village name %q is ambiguous in subdistrict %s: candidates %s; give its number", v.NameTh, sub, strings.Join(hits, ", "))
}

// Hash digests the record's content, to tell an unchanged record.
func (v *VillageRecord) Hash() string {
	b, _ := json.Marshal(v) // plain data always encodes
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// CheckVillage normalises one village record and checks it on its own. It returns
// the field at fault and why, or "" when the record is fine.
func CheckVillage(v *VillageRecord) (field, message string) {
	v.SourceID = strings.TrimSpace(v.SourceID)
	if v.SourceID == "" || len(v.SourceID) > 200 {
		return "sourceId", "sourceId is required, at most 200 characters"
	}
	code, err := area.ParseLevelCode(v.Code, area.LevelVillage)
	if err != nil {
		return "code", err.Error()
	}
	v.Code = code
	v.NameTh = strings.TrimSpace(v.NameTh)
	if v.NameTh == "" || utf8.RuneCountInString(v.NameTh) > 200 {
		return "nameTh", "the Thai name is required, at most 200 characters"
	}
	if v.NameEn != nil {
		n := strings.TrimSpace(*v.NameEn)
		if n == "" || utf8.RuneCountInString(n) > 200 {
			return "nameEn", "the English name, when given, has 1 to 200 characters"
		}
		v.NameEn = &n
	}
	for _, f := range []struct {
		name string
		v    *int
		max  int
	}{{"households", v.Households, 100000}, {"population", v.Population, 1000000}} {
		if f.v != nil && (*f.v < 0 || *f.v > f.max) {
			return f.name, fmt.Sprintf("%s must be between 0 and %d, got %d", f.name, f.max, *f.v)
		}
	}
	return "", ""
}

// CheckVillages checks records of one call, returning a result per record: rejected
// with the field at fault, or pending (status empty). Two records with the same
// sourceId or the same code reject the later one.
func CheckVillages(records []VillageRecord) []*Result {
	results := make([]*Result, len(records))
	bySource, byCode := map[string]int{}, map[string]int{}
	for i := range records {
		v := &records[i]
		r := &Result{Index: i, SourceID: v.SourceID}
		results[i] = r
		if field, msg := CheckVillage(v); field != "" {
			r.Reject(field, "%s", msg)
			continue
		}
		code := v.Code
		r.Key = &code
		if j, ok := bySource[v.SourceID]; ok {
			r.Reject("sourceId", "sourceId %q is also record %d of this batch", v.SourceID, j)
		} else {
			bySource[v.SourceID] = i
		}
		if j, ok := byCode[v.Code]; ok {
			r.Reject("code", "village %s is also record %d of this batch", v.Code, j)
		} else {
			byCode[v.Code] = i
		}
	}
	return results
}
