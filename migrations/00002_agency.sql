-- +goose Up
CREATE TABLE agency (
    code        text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,31}$'),
    name_th     text NOT NULL CHECK (btrim(name_th) <> '' AND length(name_th) <= 300),
    name_en     text CHECK (btrim(name_en) <> '' AND length(name_en) <= 300),
    kind        text NOT NULL CHECK (kind IN ('ONCB_CENTRAL', 'ONCB_REGIONAL', 'MOI', 'PID_THONG',
                    'PROVINCIAL_OFFICE', 'DISTRICT_OFFICE', 'FUNCTION_AGENCY', 'FOUNDATION')),
    parent_code text COLLATE "C" REFERENCES agency (code),
    CHECK (parent_code <> code)
);
CREATE INDEX agency_kind_idx ON agency (kind, code);

-- The areas an agency covers. National agencies have none.
CREATE TABLE agency_area (
    agency_code text COLLATE "C" NOT NULL REFERENCES agency (code) ON DELETE CASCADE,
    area_code   text COLLATE "C" NOT NULL REFERENCES area (code),
    PRIMARY KEY (agency_code, area_code)
);
CREATE INDEX agency_area_area_idx ON agency_area (area_code);

-- +goose Down
DROP TABLE agency_area;
DROP TABLE agency;
