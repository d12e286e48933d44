package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/auth"
	"github.com/prasan-hub/prasan/internal/thai"
	"github.com/shopspring/decimal"
)

// Kind is a kind of record agencies send besides villages (which have their own
// typed path): its fields, how each is read from what people type, and how a
// record names the object it speaks of. The API and files share it: both hand
// records over as text (Raw), so a value reads the same whichever way it came.
type Kind struct {
	// Name is the entity the records' assertions are kept under, and the
	// --kind of prasan import (with "-" for "_").
	Name string
	// Title names the kind in messages, such as "village plan".
	Title  string
	Fields []Field
	// Key returns the key of the object a checked record speaks of, and the area
	// (a village code, usually) it lies in, for the write scope; nil area for an
	// object of no area. own is the sender's agency and sourceId ("AGENCY:id"),
	// the key of an object only its sender speaks of.
	Key func(v Values, own string) (key string, areaCode *string)
	// Check checks a record across its fields, returning the field at fault.
	Check func(v Values) (field, message string)
	// HasVillage tells that the record names a village (villageCode), which a
	// sender may name by its place instead.
	HasVillage bool
	// SenderField names the field (an agency code) that is the sender's agency
	// when the record leaves it out.
	SenderField string
	// Resource is what a role must write to send records of the kind (and to
	// resolve disagreements on them); OwnResource, if any, lets a role send only
	// records whose SenderField is its own agency.
	Resource, OwnResource auth.Resource
}

// Field is one field of a kind of record.
type Field struct {
	// Name is the field's name in the GraphQL input and in JSON Lines files; also
	// the name of the value in provenance.
	Name string
	// Columns are the other names a file's column may have, Thai included.
	Columns []string
	// Parse reads the value from text. Its result is a string, int or bool in
	// canonical form (a date as 2021-01-25, a decimal as 1250000.50).
	Parse    func(s string) (any, error)
	Required bool
	// Fact marks a value the agency asserts (kept per agency, shown by
	// precedence), rather than a part of the object's key.
	Fact bool
	// Personal marks personal data (a name, a phone number): its asserted values
	// are shown only to roles that see personal data.
	Personal bool
}

// IsPersonal reports whether a field of an entity (a kind of record) holds
// personal data.
func IsPersonal(entity, field string) bool {
	k := Kinds[entity]
	if k == nil {
		return false
	}
	f := k.field(field)
	return f != nil && f.Personal
}

// Values are a record's parsed values by field name.
type Values map[string]any

// Str returns the string value of a field, "" when absent.
func (v Values) Str(field string) string {
	s, _ := v[field].(string)
	return s
}

// Raw is a record as sent, every value as text, by field name.
type Raw map[string]string

// Record is a checked record, ready to stage.
type Record struct {
	SourceID string
	Key      string
	Area     *string
	Values   Values
	Hash     string
	// JSON is Values encoded (keys in order), as staged and hashed.
	JSON []byte
}

// Facts returns the record's asserted values as JSON.
func (k *Kind) Facts(v Values) map[string]any {
	out := map[string]any{}
	for _, f := range k.Fields {
		if x, ok := v[f.Name]; ok && f.Fact {
			out[f.Name] = x
		}
	}
	return out
}

// FactNames lists the kind's asserted fields.
func (k *Kind) FactNames() []string {
	var out []string
	for _, f := range k.Fields {
		if f.Fact {
			out = append(out, f.Name)
		}
	}
	return out
}

// field returns the field named name, or nil.
func (k *Kind) field(name string) *Field {
	for i := range k.Fields {
		if k.Fields[i].Name == name {
			return &k.Fields[i]
		}
	}
	return nil
}

// Column maps a file's column name (Thai or English; case, spaces, "_" and "-"
// ignored) to the field it holds, or "" when the kind has none such.
func (k *Kind) Column(name string) string {
	key := columnKey(name)
	for _, f := range k.Fields {
		if columnKey(f.Name) == key || slices.ContainsFunc(f.Columns, func(c string) bool { return columnKey(c) == key }) {
			return f.Name
		}
	}
	if k.HasVillage {
		if f, ok := VillageColumns[key]; ok && slices.Contains(placeFields, f) {
			return f
		}
		if key == "villagename" || key == "ชื่อหมู่บ้าน" {
			return "villageName"
		}
	}
	return ""
}

// placeFields are the fields that name a village's place instead of its code.
var placeFields = []string{"province", "district", "subdistrict", "moo"}

// Parse reads and checks a raw record on its own, resolving a village named by
// its place with the gazetteer (g may be nil when every record carries a code).
// It returns the field at fault and why, or a Record.
func (k *Kind) Parse(raw Raw, agency string, g *Gazetteer, villages VillagesOf) (*Record, string, string) {
	rec := &Record{Values: Values{}}
	rec.SourceID = strings.TrimSpace(raw["sourceId"])
	if rec.SourceID == "" || len(rec.SourceID) > 200 {
		return nil, "sourceId", "sourceId is required, at most 200 characters"
	}
	if k.HasVillage && strings.TrimSpace(raw["villageCode"]) == "" {
		named := slices.ContainsFunc(placeFields, func(f string) bool { return strings.TrimSpace(raw[f]) != "" })
		if f := k.field("villageCode"); !named && f.Required {
			return nil, "villageCode", "give the village code, or its province, district, subdistrict and village number"
		}
		if named && g != nil {
			ref := VillageRecord{Province: raw["province"], District: raw["district"], Subdistrict: raw["subdistrict"],
				Moo: raw["moo"], NameTh: raw["villageName"]}
			if field, msg := ref.Resolve(g, villages); field != "" {
				if field == "code" {
					field = "villageCode"
				}
				return nil, field, msg
			}
			raw = mapsClone(raw)
			raw["villageCode"] = ref.Code
		}
	}
	for name, text := range raw {
		if name == "sourceId" || name == "villageName" || slices.Contains(placeFields, name) {
			continue
		}
		f := k.field(name)
		if f == nil {
			if name == "" {
				name = "(no name)"
			}
			return nil, name, fmt.Sprintf("a %s has no field %q", k.Title, name)
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		v, err := f.Parse(text)
		if err != nil {
			return nil, name, err.Error()
		}
		rec.Values[name] = v
	}
	for _, f := range k.Fields {
		if _, ok := rec.Values[f.Name]; f.Required && !ok {
			return nil, f.Name, fmt.Sprintf("%s is required", f.Name)
		}
	}
	if k.Check != nil {
		if field, msg := k.Check(rec.Values); field != "" {
			return nil, field, msg
		}
	}
	if _, ok := rec.Values[k.SenderField]; k.SenderField != "" && !ok {
		rec.Values[k.SenderField] = agency
	}
	rec.Key, rec.Area = k.Key(rec.Values, agency+":"+rec.SourceID)
	b := rec.Values.JSON() // keys in order: a stable digest
	rec.JSON = b
	sum := sha256.Sum256(append(b, rec.SourceID...))
	rec.Hash = hex.EncodeToString(sum[:])
	return rec, "", ""
}

func mapsClone(r Raw) Raw {
	out := make(Raw, len(r)+1)
	for k, v := range r {
		out[k] = v
	}
	return out
}

// RawFromJSON turns a record decoded from JSON (a GraphQL input or a line of a
// JSON Lines file) into text: strings as they are, numbers as written, booleans as
// true or false; nulls are left out.
func RawFromJSON(m map[string]any) (Raw, string, string) {
	out := make(Raw, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case nil:
		case string:
			out[k] = x
		case json.Number:
			out[k] = x.String()
		case float64:
			out[k] = strconv.FormatFloat(x, 'f', -1, 64)
		case int64:
			out[k] = strconv.FormatInt(x, 10)
		case int:
			out[k] = strconv.Itoa(x)
		case bool:
			out[k] = strconv.FormatBool(x)
		default:
			return nil, k, "expected a string or a number"
		}
	}
	return out, "", ""
}

// The parsers of field values.

func text(max int) func(string) (any, error) {
	return func(s string) (any, error) {
		if utf8.RuneCountInString(s) > max {
			return nil, fmt.Errorf("at most %d characters", max)
		}
		return s, nil
	}
}

func wholeNumber(min, max int) func(string) (any, error) {
	return func(s string) (any, error) {
		n, err := strconv.Atoi(thai.Number(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		if n < min || n > max {
			return nil, fmt.Errorf("must be between %d and %d, got %d", min, max, n)
		}
		return n, nil
	}
}

func fiscalYear(s string) (any, error) { return thai.ParseFiscalYear(s) }

func date(s string) (any, error) {
	d, err := thai.ParseDate(s)
	if err != nil {
		return nil, err
	}
	return d.Format(time.DateOnly), nil
}

func villageCode(s string) (any, error) { return area.ParseLevelCode(s, area.LevelVillage) }

func areaCode(s string) (any, error) { return area.ParseCode(s) }

func money(max string) func(string) (any, error) {
	limit := decimal.RequireFromString(max)
	return func(s string) (any, error) {
		t := thai.Number(s)
		if strings.ContainsAny(t, "eE") {
			return nil, fmt.Errorf("%q: write the amount without an exponent", s)
		}
		d, err := decimal.NewFromString(t)
		if err != nil {
			return nil, fmt.Errorf("%q is not an amount of baht", s)
		}
		if d.IsNegative() || d.GreaterThan(limit) || !d.Equal(d.Round(2)) {
			return nil, fmt.Errorf("%s baht: amounts are from 0 to %s, to the satang (2 decimals)", s, max)
		}
		return d.StringFixed(2), nil
	}
}

func percent(s string) (any, error) {
	t := strings.TrimSuffix(strings.TrimSpace(thai.Number(s)), "%")
	d, err := decimal.NewFromString(strings.TrimSpace(t))
	if err != nil || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) || !d.Equal(d.Round(2)) {
		return nil, fmt.Errorf("%q is not a percentage from 0 to 100 (2 decimals at most)", s)
	}
	return d.StringFixed(2), nil
}

var codePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{1,63}$`)

func code(s string) (any, error) {
	c := strings.ToUpper(s)
	if !codePattern.MatchString(c) {
		return nil, fmt.Errorf("%q is not a code: capital letters, digits, _ and -", s)
	}
	return c, nil
}

var phonePattern = regexp.MustCompile(`^\+?[0-9 -]{6,20}$`)

func phone(s string) (any, error) {
	p := thai.Digits(s)
	if !phonePattern.MatchString(p) {
		return nil, fmt.Errorf("%q is not a phone number", s)
	}
	return p, nil
}

// oneOf reads an enum value by its name (any case) or by one of the names people
// write for it, in Thai or English.
func oneOf(values map[string][]string) func(string) (any, error) {
	byKey := map[string]string{}
	names := make([]string, 0, len(values))
	for v, aliases := range values {
		names = append(names, v)
		byKey[columnKey(v)] = v
		for _, a := range aliases {
			byKey[columnKey(a)] = v
		}
	}
	slices.Sort(names)
	return func(s string) (any, error) {
		if v, ok := byKey[columnKey(s)]; ok {
			return v, nil
		}
		return nil, fmt.Errorf("%q is not one of %s", s, strings.Join(names, ", "))
	}
}
