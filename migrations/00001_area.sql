-- Thailand's administrative geography in one table: provinces (2-digit DOPA code),
-- districts (4), subdistricts (6) and villages (8). One table lets every other table
-- point at an area of any level with a plain foreign key. Codes use the C collation so
-- that prefix ranges (code >= '50' AND code < '50:') use the primary key index.

-- +goose Up
CREATE TABLE area (
    code        text COLLATE "C" PRIMARY KEY
                CHECK (code ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8})$'),
    level       text NOT NULL GENERATED ALWAYS AS (
                    CASE length(code) WHEN 2 THEN 'PROVINCE' WHEN 4 THEN 'DISTRICT'
                                      WHEN 6 THEN 'SUBDISTRICT' ELSE 'VILLAGE' END) STORED,
    parent_code text COLLATE "C" REFERENCES area (code),
    name_th     text NOT NULL CHECK (btrim(name_th) <> '' AND length(name_th) <= 200),
    name_en     text CHECK (btrim(name_en) <> '' AND length(name_en) <= 200),
    postcodes   text[] NOT NULL DEFAULT '{}'
                CHECK (postcodes <@ ARRAY[]::text[] OR array_to_string(postcodes, ',') ~ '^[0-9]{5}(,[0-9]{5})*$'),
    moo         smallint CHECK (moo BETWEEN 1 AND 99),
    households  integer CHECK (households >= 0),
    population  integer CHECK (population >= 0),
    is_demo     boolean NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- a province has no parent; every other area's parent is its code minus two digits
    CHECK ((length(code) = 2 AND parent_code IS NULL)
        OR (length(code) > 2 AND parent_code = left(code, length(code) - 2))),
    -- only villages have a village number, households and population
    CHECK ((length(code) = 8) = (moo IS NOT NULL)),
    CHECK (length(code) = 8 OR (households IS NULL AND population IS NULL)),
    CHECK (length(code) <> 8 OR moo = right(code, 2)::smallint),
    -- lets other tables require an area of a given level with a composite foreign key
    UNIQUE (code, level)
);
CREATE INDEX area_parent_idx ON area (parent_code, code);
CREATE INDEX area_village_demo_idx ON area (is_demo) WHERE length(code) = 8;

-- Reference data sets loaded into the database, to reload one only when it changed.
CREATE TABLE reference_data (
    name      text PRIMARY KEY,
    sha256    text NOT NULL,
    row_count integer NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE reference_data;
DROP TABLE area;
