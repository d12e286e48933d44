package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/prasan-hub/prasan/internal/thai"
)

// Format is a file format the hub reads.
type Format string

// The formats.
const (
	FormatCSV   Format = "csv"
	FormatJSONL Format = "jsonl"
)

// VillageColumns maps the column names a village file may use, in Thai or English,
// to the record's fields. Matching ignores case, spaces, "_" and "-".
var VillageColumns = map[string]string{
	"sourceid": "sourceId", "รหัสอ้างอิง": "sourceId", "รหัสต้นทาง": "sourceId",
	"code": "code", "villagecode": "code", "รหัสหมู่บ้าน": "code",
	"nameth": "nameTh", "name": "nameTh", "ชื่อหมู่บ้าน": "nameTh", "ชื่อ": "nameTh",
	"nameen": "nameEn", "ชื่อภาษาอังกฤษ": "nameEn",
	"households": "households", "ครัวเรือน": "households", "จำนวนครัวเรือน": "households",
	"population": "population", "ประชากร": "population", "จำนวนประชากร": "population",
	"province": "province", "จังหวัด": "province",
	"district": "district", "amphoe": "district", "อำเภอ": "district",
	"subdistrict": "subdistrict", "tambon": "subdistrict", "ตำบล": "subdistrict",
	"moo": "moo", "villageno": "moo", "หมู่": "moo", "หมู่ที่": "moo",
}

func columnKey(s string) string {
	return columnKeySeparators.Replace(strings.ToLower(strings.TrimSpace(s)))
}

// columnKeySeparators drops what people put between words of a name (a Replacer is
// safe for concurrent use, and costly to build: once).
var columnKeySeparators = strings.NewReplacer(" ", "", "_", "", "-", "", "\u00a0", "")

// FileError is a problem with a row of a file: where, and what.
type FileError struct {
	Row     int // 1-based line of a JSON Lines file, or data row of a CSV file (the header is row 1)
	Column  string
	Message string
}

func (e *FileError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("row %d, column %s: %s", e.Row, e.Column, e.Message)
}

// VillageReader streams village records from a file, one at a time, so that a file
// of any size is read in bounded memory.
type VillageReader struct {
	next func() (VillageRecord, int, *FileError, error)
}

// Next returns the next record and its row, or a row error (the record is then
// unusable), or io.EOF at the end. Other errors mean the file cannot be read on.
func (r *VillageReader) Next() (VillageRecord, int, *FileError, error) { return r.next() }

// NewVillageReader reads a CSV (UTF-8, with or without BOM, a header row naming the
// columns in Thai or English) or a JSON Lines file of villages.
func NewVillageReader(in io.Reader, f Format) (*VillageReader, error) {
	br := withoutBOM(in)
	switch f {
	case FormatCSV:
		return csvVillages(br)
	case FormatJSONL:
		return jsonlVillages(br), nil
	}
	return nil, fmt.Errorf("unknown format %q: csv or jsonl", f)
}

func csvVillages(in io.Reader) (*VillageReader, error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	col := map[string]int{}
	names := map[string]string{}
	for i, h := range header {
		field, ok := VillageColumns[columnKey(h)]
		if !ok {
			return nil, &FileError{Row: 1, Column: h, Message: "unknown column; known columns: sourceId, code, nameTh, nameEn, households, population (or their Thai names, see README)"}
		}
		if _, dup := col[field]; dup {
			return nil, &FileError{Row: 1, Column: h, Message: "names the same field as column " + names[field]}
		}
		col[field], names[field] = i, h
	}
	_, hasCode := col["code"]
	_, hasPlace := col["subdistrict"]
	if !hasCode && !hasPlace {
		return nil, &FileError{Row: 1, Column: "code", Message: "required column missing: code, or province/district/subdistrict and moo"}
	}
	for _, need := range []string{"sourceId", "nameTh"} {
		if _, ok := col[need]; !ok {
			return nil, &FileError{Row: 1, Column: need, Message: "required column missing"}
		}
	}
	row := 1
	return &VillageReader{next: func() (VillageRecord, int, *FileError, error) {
		rec, err := cr.Read()
		row++
		if err == io.EOF {
			return VillageRecord{}, row, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return VillageRecord{}, row, &FileError{Row: row, Message: pe.Err.Error()}, nil
		}
		if err != nil {
			return VillageRecord{}, row, nil, err
		}
		get := func(field string) (string, bool) {
			i, ok := col[field]
			if !ok || i >= len(rec) {
				return "", false
			}
			v := strings.TrimSpace(rec[i])
			return v, v != ""
		}
		var v VillageRecord
		v.SourceID, _ = get("sourceId")
		v.Code, _ = get("code")
		v.NameTh, _ = get("nameTh")
		v.Province, _ = get("province")
		v.District, _ = get("district")
		v.Subdistrict, _ = get("subdistrict")
		v.Moo, _ = get("moo")
		if s, ok := get("nameEn"); ok {
			v.NameEn = &s
		}
		for _, f := range []struct {
			field string
			dst   **int
		}{{"households", &v.Households}, {"population", &v.Population}} {
			if s, ok := get(f.field); ok {
				n, err := strconv.Atoi(thai.Number(s))
				if err != nil {
					return v, row, &FileError{Row: row, Column: names[f.field], Message: fmt.Sprintf("%q is not a whole number", s)}, nil
				}
				*f.dst = &n
			}
		}
		return v, row, nil, nil
	}}, nil
}

func jsonlVillages(in *bufio.Reader) *VillageReader {
	lines := newJSONLines(in)
	return &VillageReader{next: func() (VillageRecord, int, *FileError, error) {
		for {
			line, row, err := lines.next()
			if err != nil {
				return VillageRecord{}, row, nil, err
			}
			var raw map[string]any
			if err := json.Unmarshal(line, &raw); err != nil {
				return VillageRecord{}, row, &FileError{Row: row, Message: "not a JSON object: " + err.Error()}, nil
			}
			var v VillageRecord
			for k, val := range raw {
				field, ok := VillageColumns[columnKey(k)]
				if !ok {
					return v, row, &FileError{Row: row, Column: k, Message: "unknown field"}, nil
				}
				s, isString := val.(string)
				switch field {
				case "sourceId", "code", "nameTh", "nameEn", "province", "district", "subdistrict", "moo":
					if n, isNum := val.(float64); isNum && (field == "sourceId" || field == "moo") {
						s, isString = strconv.FormatFloat(n, 'f', -1, 64), true
					}
					if !isString {
						return v, row, &FileError{Row: row, Column: k, Message: "expected a string"}, nil
					}
					switch field {
					case "sourceId":
						v.SourceID = s
					case "code":
						v.Code = s
					case "nameTh":
						v.NameTh = s
					case "province":
						v.Province = s
					case "district":
						v.District = s
					case "subdistrict":
						v.Subdistrict = s
					case "moo":
						v.Moo = s
					default:
						v.NameEn = &s
					}
				default:
					var n int
					switch x := val.(type) {
					case float64:
						if x != float64(int(x)) {
							return v, row, &FileError{Row: row, Column: k, Message: "expected a whole number"}, nil
						}
						n = int(x)
					case string:
						var err error
						if n, err = strconv.Atoi(thai.Number(x)); err != nil {
							return v, row, &FileError{Row: row, Column: k, Message: fmt.Sprintf("%q is not a whole number", x)}, nil
						}
					default:
						return v, row, &FileError{Row: row, Column: k, Message: "expected a whole number"}, nil
					}
					if field == "households" {
						v.Households = &n
					} else {
						v.Population = &n
					}
				}
			}
			return v, row, nil, nil
		}
	}}
}

// RecordReader streams the records of a kind from a file, as text, one at a time.
type RecordReader struct {
	next func() (Raw, int, *FileError, error)
}

// Next returns the next record as text and its row, or a row error, or io.EOF at
// the end. Other errors mean the file cannot be read on.
func (r *RecordReader) Next() (Raw, int, *FileError, error) { return r.next() }

// NewRecordReader reads a CSV (UTF-8, with or without BOM, a header row naming the
// columns in Thai or English) or a JSON Lines file of records of kind k.
func NewRecordReader(in io.Reader, f Format, k *Kind) (*RecordReader, error) {
	br := withoutBOM(in)
	switch f {
	case FormatCSV:
		return csvRecords(br, k)
	case FormatJSONL:
		return jsonlRecords(br, k), nil
	}
	return nil, fmt.Errorf("unknown format %q: csv or jsonl", f)
}

// column maps a column name of a file of kind k to its field.
func column(k *Kind, name string) string {
	if columnKey(name) == "sourceid" || VillageColumns[columnKey(name)] == "sourceId" {
		return "sourceId"
	}
	return k.Column(name)
}

func csvRecords(in io.Reader, k *Kind) (*RecordReader, error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header row: %w", err)
	}
	fields := make([]string, len(header))
	seen := map[string]string{}
	for i, h := range header {
		field := column(k, h)
		if field == "" {
			known := []string{"sourceId"}
			for _, f := range k.Fields {
				known = append(known, f.Name)
			}
			return nil, &FileError{Row: 1, Column: h, Message: "unknown column; a " + k.Title + " file has " + strings.Join(known, ", ") + " (or their Thai names, see README)"}
		}
		if other, dup := seen[field]; dup {
			return nil, &FileError{Row: 1, Column: h, Message: "names the same field as column " + other}
		}
		fields[i], seen[field] = field, h
	}
	if _, ok := seen["sourceId"]; !ok {
		return nil, &FileError{Row: 1, Column: "sourceId", Message: "required column missing"}
	}
	for _, f := range k.Fields {
		_, has := seen[f.Name]
		_, place := seen["subdistrict"]
		if f.Required && !has && !(f.Name == "villageCode" && place) {
			return nil, &FileError{Row: 1, Column: f.Name, Message: "required column missing"}
		}
	}
	row := 1
	return &RecordReader{next: func() (Raw, int, *FileError, error) {
		rec, err := cr.Read()
		row++
		if err == io.EOF {
			return nil, row, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, row, &FileError{Row: row, Message: pe.Err.Error()}, nil
		}
		if err != nil {
			return nil, row, nil, err
		}
		raw := make(Raw, len(fields))
		for i, v := range rec {
			if i < len(fields) && strings.TrimSpace(v) != "" {
				raw[fields[i]] = v
			}
		}
		return raw, row, nil, nil
	}}, nil
}

func jsonlRecords(in *bufio.Reader, k *Kind) *RecordReader {
	lines := newJSONLines(in)
	return &RecordReader{next: func() (Raw, int, *FileError, error) {
		for {
			line, row, err := lines.next()
			if err != nil {
				return nil, row, nil, err
			}
			d := json.NewDecoder(bytes.NewReader(line))
			d.UseNumber()
			var obj map[string]any
			if err := d.Decode(&obj); err != nil {
				return nil, row, &FileError{Row: row, Message: "not a JSON object: " + err.Error()}, nil
			}
			named := make(map[string]any, len(obj))
			for name, v := range obj {
				field := column(k, name)
				if field == "" {
					return nil, row, &FileError{Row: row, Column: name, Message: "unknown field of a " + k.Title}, nil
				}
				named[field] = v
			}
			raw, field, msg := RawFromJSON(named)
			if field != "" {
				return nil, row, &FileError{Row: row, Column: field, Message: msg}, nil
			}
			return raw, row, nil, nil
		}
	}}
}

// withoutBOM reads in past a UTF-8 byte-order mark, if it starts with one.
func withoutBOM(in io.Reader) *bufio.Reader {
	br := bufio.NewReaderSize(in, 1<<16)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	return br
}

// jsonLines yields the non-blank lines of a JSON Lines file (at most 1 MiB each)
// with their line numbers.
type jsonLines struct {
	sc  *bufio.Scanner
	row int
}

func newJSONLines(in io.Reader) *jsonLines {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	return &jsonLines{sc: sc}
}

// next returns the next non-blank line and its number, or io.EOF at the end, or
// the error that stopped the reading.
func (j *jsonLines) next() ([]byte, int, error) {
	for j.sc.Scan() {
		j.row++
		if line := bytes.TrimSpace(j.sc.Bytes()); len(line) > 0 {
			return line, j.row, nil
		}
	}
	if err := j.sc.Err(); err != nil {
		return nil, j.row, err
	}
	return nil, j.row, io.EOF
}
