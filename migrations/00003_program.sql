-- +goose Up
CREATE TABLE action_plan (
    code        text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,63}$'),
    name_th     text NOT NULL CHECK (btrim(name_th) <> ''),
    name_en     text,
    fiscal_year smallint NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700)
);
CREATE INDEX action_plan_fiscal_year_idx ON action_plan (fiscal_year DESC, code);

CREATE TABLE measure (
    code             text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,63}$'),
    action_plan_code text COLLATE "C" NOT NULL REFERENCES action_plan (code),
    number           smallint NOT NULL CHECK (number BETWEEN 1 AND 99),
    name_th          text NOT NULL CHECK (btrim(name_th) <> ''),
    name_en          text,
    committee        text,
    UNIQUE (action_plan_code, number)
);

CREATE TABLE program (
    code             text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{1,63}$'),
    measure_code     text COLLATE "C" NOT NULL REFERENCES measure (code),
    name_th          text NOT NULL CHECK (btrim(name_th) <> ''),
    name_en          text,
    description      text,
    fiscal_year_from smallint NOT NULL CHECK (fiscal_year_from BETWEEN 2500 AND 2700),
    fiscal_year_to   smallint NOT NULL CHECK (fiscal_year_to BETWEEN 2500 AND 2700),
    CHECK (fiscal_year_to >= fiscal_year_from)
);
CREATE INDEX program_measure_idx ON program (measure_code, code);

CREATE TABLE program_agency (
    program_code text COLLATE "C" NOT NULL REFERENCES program (code) ON DELETE CASCADE,
    agency_code  text COLLATE "C" NOT NULL REFERENCES agency (code),
    role         text NOT NULL CHECK (role IN ('LEAD', 'PARTNER', 'SUPPORTER')),
    PRIMARY KEY (program_code, agency_code)
);
CREATE INDEX program_agency_agency_idx ON program_agency (agency_code);

-- The villages a program targets.
CREATE TABLE program_village (
    program_code  text COLLATE "C" NOT NULL REFERENCES program (code) ON DELETE CASCADE,
    village_code  text COLLATE "C" NOT NULL,
    village_level text NOT NULL GENERATED ALWAYS AS ('VILLAGE') STORED,
    PRIMARY KEY (program_code, village_code),
    FOREIGN KEY (village_code, village_level) REFERENCES area (code, level)
);
CREATE INDEX program_village_village_idx ON program_village (village_code, program_code);

-- +goose Down
DROP TABLE program_village;
DROP TABLE program_agency;
DROP TABLE program;
DROP TABLE measure;
DROP TABLE action_plan;
