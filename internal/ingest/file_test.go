package ingest_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/prasan-hub/prasan/internal/ingest"
)

func readAll(t *testing.T, in io.Reader, f ingest.Format) ([]ingest.VillageRecord, []ingest.FileError) {
	t.Helper()
	r, err := ingest.NewVillageReader(in, f)
	if err != nil {
		t.Fatal(err)
	}
	var recs []ingest.VillageRecord
	var bad []ingest.FileError
	for {
		v, _, ferr, err := r.Next()
		if errors.Is(err, io.EOF) {
			return recs, bad
		}
		if err != nil {
			t.Fatal(err)
		}
		if ferr != nil {
			bad = append(bad, *ferr)
			continue
		}
		recs = append(recs, v)
	}
}

func ptr[T any](v T) *T { return &v }

// The example files read the same: a CSV with BOM, Thai headers, Thai digits and
// thousands separators, and JSON Lines.
func TestVillageReader_Examples(t *testing.T) {
	want := []ingest.VillageRecord{
		{SourceID: "MOI-500401-03", Code: "๕๐๐๔๐๑๐๓", NameTh: "บ้านห้วยน้ำริน", NameEn: ptr("Ban Huai Nam Rin"), Households: ptr(120), Population: ptr(1041)},
		{SourceID: "MOI-500401-11", Code: "50040111", NameTh: "บ้านทุ่งข้าวหอม", Households: ptr(85), Population: ptr(310)},
		{SourceID: "MOI-570101-01", Code: "57010101", NameTh: "บ้านดอยแดง", NameEn: ptr("Ban Doi Daeng"), Households: ptr(1204), Population: ptr(4518)},
	}
	for file, f := range map[string]ingest.Format{"../../examples/villages.csv": ingest.FormatCSV, "../../examples/villages.jsonl": ingest.FormatJSONL} {
		in, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		recs, bad := readAll(t, in, f)
		in.Close()
		want[0].Code = map[ingest.Format]string{ingest.FormatCSV: "๕๐๐๔๐๑๐๓", ingest.FormatJSONL: "50040103"}[f]
		if len(bad) > 0 {
			t.Errorf("%s: %v", file, bad)
		}
		if diff := cmp.Diff(want, recs); diff != "" {
			t.Errorf("%s (-want +got):\n%s", file, diff)
		}
	}
}

func TestVillageReader_Errors(t *testing.T) {
	csv := "sourceId,code,nameTh,households\na,50040103,บ้าน,12x\nb,50040104,บ้าน,\"1,2,3\"\n\"c,50040105,บ้าน,3\n"
	_, bad := readAll(t, strings.NewReader(csv), ingest.FormatCSV)
	if len(bad) < 1 || bad[0].Row != 2 || bad[0].Column != "households" {
		t.Errorf("bad rows %+v, want row 2 column households first", bad)
	}
	jsonl := "{\"sourceId\": \"a\", \"code\": \"50040103\", \"nameTh\": \"บ้าน\"}\n\nnot json\n{\"sourceId\": \"b\", \"colour\": \"red\"}\n{\"sourceId\": \"c\", \"households\": 1.5}\n"
	recs, bad := readAll(t, strings.NewReader(jsonl), ingest.FormatJSONL)
	got := []string{}
	for _, e := range bad {
		got = append(got, e.Error())
	}
	if len(recs) != 1 || len(bad) != 3 || bad[0].Row != 3 || bad[1].Column != "colour" || bad[2].Row != 5 {
		t.Errorf("records %d, bad %v", len(recs), got)
	}
	for name, header := range map[string]string{
		"unknown column": "sourceId,code,nameTh,colour\n",
		"missing code":   "sourceId,nameTh\n",
		"repeated field": "sourceId,code,nameTh,ชื่อหมู่บ้าน\n",
	} {
		if _, err := ingest.NewVillageReader(strings.NewReader(header), ingest.FormatCSV); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The file readers never panic or loop, whatever the bytes; every row error names a
// row.
func FuzzVillageReader(f *testing.F) {
	f.Add([]byte("sourceId,code,nameTh,households\na,50040103,บ้าน,๑,๒๐๐\n"), true)
	f.Add([]byte("\xef\xbb\xbfรหัสอ้างอิง,รหัสหมู่บ้าน,ชื่อหมู่บ้าน\n\"a,b\",c\n"), true)
	f.Add([]byte("{\"sourceId\": 1, \"households\": \"๑๒\"}\n{}\n[]\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, asCSV bool) {
		format := ingest.FormatJSONL
		if asCSV {
			format = ingest.FormatCSV
		}
		r, err := ingest.NewVillageReader(bytes.NewReader(data), format)
		if err != nil {
			return
		}
		for i := 0; i <= len(data)+1; i++ {
			_, _, ferr, err := r.Next()
			if err != nil {
				return
			}
			if ferr != nil && ferr.Row < 1 {
				t.Fatalf("row error without a row: %+v", ferr)
			}
		}
		t.Fatalf("more records than bytes: the reader does not end")
	})
}

func TestVillageReader_PlaceColumns(t *testing.T) {
	csv := "รหัสอ้างอิง,จังหวัด,อำเภอ,ตำบล,หมู่ที่,ชื่อหมู่บ้าน\nx,เชียงใหม่,เชียงดาว,เชียงดาว,๓,บ้านห้วยน้ำริน\n"
	recs, bad := readAll(t, strings.NewReader(csv), ingest.FormatCSV)
	want := []ingest.VillageRecord{{SourceID: "x", Province: "เชียงใหม่", District: "เชียงดาว", Subdistrict: "เชียงดาว", Moo: "๓", NameTh: "บ้านห้วยน้ำริน"}}
	if len(bad) > 0 || !cmp.Equal(want, recs) {
		t.Errorf("got %+v %v", recs, bad)
	}
	if _, err := ingest.NewVillageReader(strings.NewReader("sourceId,nameTh\n"), ingest.FormatCSV); err == nil {
		t.Error("a file with neither code nor place columns was accepted")
	}
}

// The examples' README documents every field of every kind, with each of the
// column names a file may use.
func TestExamplesREADME_DocumentsEveryColumn(t *testing.T) {
	b, err := os.ReadFile("../../examples/README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, k := range ingest.Kinds {
		section := doc[strings.Index(doc, "### "+k.Title):]
		if i := strings.Index(section[4:], "### "); i > 0 {
			section = section[:i+4]
		}
		for _, f := range k.Fields {
			if !strings.Contains(section, "| "+f.Name+" |") {
				t.Errorf("%s: field %s not documented", k.Name, f.Name)
			}
			for _, c := range f.Columns {
				if !strings.Contains(section, "`"+c+"`") {
					t.Errorf("%s: column name %q of %s not documented", k.Name, c, f.Name)
				}
			}
		}
	}
}
