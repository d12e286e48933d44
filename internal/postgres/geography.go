package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/prasan-hub/prasan/internal/area"
	"github.com/prasan-hub/prasan/internal/ingest"
)

// geography is the reference geography above villages — provinces, districts and
// subdistricts — held in memory. It is fixed data: the binary loads it into the
// database before serving (refdata), nothing in the API changes it, and every
// caller may read it. So it is read once per process, and a village page or a
// district list asks the database only for what changes (villages, plans, budgets),
// and ingestion resolves place names with the gazetteer built from the same read. A
// replica sees a newer edition of the reference data when it restarts.
type geography struct {
	gazetteer      *ingest.Gazetteer
	provinces      []*area.Province
	provinceByCode map[string]*area.Province
	districtByCode map[string]*area.District
	subdistrictBy  map[string]*area.Subdistrict
	districtsOf    map[string][]*area.District
	subdistrictsOf map[string][]*area.Subdistrict
}

// geography returns the reference geography, reading it on first use (a failed
// read is tried again by the next caller). Its objects are shared by every request:
// read them, never change them.
func (s *AreaStore) geography(ctx context.Context) (*geography, error) {
	if g := s.geo.Load(); g != nil {
		return g, nil
	}
	s.loading.Lock()
	defer s.loading.Unlock()
	if g := s.geo.Load(); g != nil {
		return g, nil
	}
	g := &geography{
		provinceByCode: map[string]*area.Province{},
		districtByCode: map[string]*area.District{},
		subdistrictBy:  map[string]*area.Subdistrict{},
		districtsOf:    map[string][]*area.District{},
		subdistrictsOf: map[string][]*area.Subdistrict{},
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT code, coalesce(parent_code, ''), name_th, name_en, postcodes FROM area WHERE length(code) <= 6 ORDER BY code`)
	var code, parent, nameTh string
	var nameEn *string
	var postcodes []string
	var places []ingest.Place
	_, err := pgx.ForEachRow(rows, []any{&code, &parent, &nameTh, &nameEn, &postcodes}, func() error {
		places = append(places, ingest.Place{Code: code, ParentCode: parent, NameTh: nameTh})
		switch len(code) {
		case 2:
			p := &area.Province{Code: code, NameTh: nameTh, NameEn: nameEn}
			g.provinces = append(g.provinces, p)
			g.provinceByCode[code] = p
		case 4:
			d := &area.District{Code: code, ProvinceCode: parent, NameTh: nameTh, NameEn: nameEn}
			g.districtByCode[code] = d
			g.districtsOf[parent] = append(g.districtsOf[parent], d)
		case 6:
			sd := &area.Subdistrict{Code: code, DistrictCode: parent, NameTh: nameTh, NameEn: nameEn, Postcodes: postcodes}
			g.subdistrictBy[code] = sd
			g.subdistrictsOf[parent] = append(g.subdistrictsOf[parent], sd)
		}
		return nil
	})
	if err != nil {
		return nil, pgError(err, "reference geography")
	}
	g.gazetteer = ingest.NewGazetteer(places)
	s.geo.Store(g)
	return g, nil
}

// Gazetteer returns the index of place names that ingestion resolves villages
// with, built from the reference geography.
func (s *AreaStore) Gazetteer(ctx context.Context) (*ingest.Gazetteer, error) {
	g, err := s.geography(ctx)
	if err != nil {
		return nil, err
	}
	return g.gazetteer, nil
}

// Province returns the province with the code, or nil.
func (s *AreaStore) Province(ctx context.Context, code string) (*area.Province, error) {
	g, err := s.geography(ctx)
	if err != nil {
		return nil, err
	}
	return g.provinceByCode[code], nil
}

// District returns the district with the code, or nil.
func (s *AreaStore) District(ctx context.Context, code string) (*area.District, error) {
	g, err := s.geography(ctx)
	if err != nil {
		return nil, err
	}
	return g.districtByCode[code], nil
}

// Subdistrict returns the subdistrict with the code, or nil.
func (s *AreaStore) Subdistrict(ctx context.Context, code string) (*area.Subdistrict, error) {
	g, err := s.geography(ctx)
	if err != nil {
		return nil, err
	}
	return g.subdistrictBy[code], nil
}

// DistrictsOf returns a province's districts, by code.
func (s *AreaStore) DistrictsOf(ctx context.Context, provinceCode string) ([]*area.District, error) {
	g, err := s.geography(ctx)
	if err != nil {
		return nil, err
	}
	return g.districtsOf[provinceCode], nil
}

// SubdistrictsOf returns a district's subdistricts, by code.
func (s *AreaStore) SubdistrictsOf(ctx context.Context, districtCode string) ([]*area.Subdistrict, error) {
	g, err := s.geography(ctx)
	if err != nil {
		return nil, err
	}
	return g.subdistrictsOf[districtCode], nil
}
