package postgres_test

import (
	"testing"
	"time"

	"github.com/prasan-hub/prasan/internal/postgres"
)

// What the stores keep in memory answers as the database would: the reference
// geography in full, an agency added after the first read at once, and a change to
// a kept agency within its few seconds.
func TestStoresKeep_AnswerAsTheDatabase(t *testing.T) {
	db := demoDB(t)
	ctx := t.Context()

	areas := postgres.NewAreaStore(db)
	provinces, err := areas.Provinces(ctx)
	if err != nil || len(provinces) != count(t, db, `SELECT count(*) FROM area WHERE length(code) = 2`) {
		t.Fatalf("provinces: %d, %v", len(provinces), err)
	}
	districts, err := areas.DistrictsOf(ctx, "57")
	if err != nil || len(districts) != count(t, db, `SELECT count(*) FROM area WHERE parent_code = '57'`) || districts[0].ProvinceCode != "57" {
		t.Fatalf("districts of 57: %+v, %v", districts, err)
	}
	if sd, err := areas.Subdistrict(ctx, "999999"); sd != nil || err != nil {
		t.Errorf("unknown subdistrict: %+v, %v", sd, err)
	}

	agencies := postgres.NewAgencyStore(db)
	got, err := agencies.AgenciesByCode(ctx, []string{"ONCB", "NEW-AGENCY"})
	if err != nil || got["ONCB"] == nil || got["NEW-AGENCY"] != nil {
		t.Fatalf("before: %+v, %v", got, err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO agency (code, name_th, kind) VALUES ('NEW-AGENCY', 'หน่วยงานใหม่', 'FOUNDATION');
		UPDATE agency SET name_th = 'ชื่อใหม่' WHERE code = 'ONCB'`); err != nil {
		t.Fatal(err)
	}
	got, err = agencies.AgenciesByCode(ctx, []string{"ONCB", "NEW-AGENCY"})
	if err != nil || got["NEW-AGENCY"] == nil || got["NEW-AGENCY"].NameTh != "หน่วยงานใหม่" {
		t.Fatalf("a new agency is not seen at once: %+v, %v", got, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for got["ONCB"].NameTh != "ชื่อใหม่" {
		if time.Now().After(deadline) {
			t.Fatalf("the renamed agency still reads %q after 10 s", got["ONCB"].NameTh)
		}
		time.Sleep(250 * time.Millisecond)
		if got, err = agencies.AgenciesByCode(ctx, []string{"ONCB"}); err != nil {
			t.Fatal(err)
		}
	}
}
