-- +goose Up
CREATE TABLE village_plan (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_code       text COLLATE "C" NOT NULL,
    village_level      text NOT NULL GENERATED ALWAYS AS ('VILLAGE') STORED,
    fiscal_year        smallint NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700),
    status             text NOT NULL CHECK (status IN ('NOT_STARTED', 'IN_PROGRESS', 'COMPLETED')),
    scheduled_start    date,
    scheduled_end      date,
    completed_on       date,
    participation_rate numeric(5, 2) CHECK (participation_rate BETWEEN 0 AND 100),
    is_demo            boolean NOT NULL DEFAULT false,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (village_code, fiscal_year),
    FOREIGN KEY (village_code, village_level) REFERENCES area (code, level),
    CHECK (scheduled_end >= scheduled_start),
    CHECK (completed_on IS NULL OR status = 'COMPLETED')
);
CREATE INDEX village_plan_year_status_idx ON village_plan (fiscal_year, status, village_code);

CREATE TABLE facilitator (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_plan_id bigint NOT NULL REFERENCES village_plan (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('DEPUTY_DISTRICT_OFFICER', 'AD1', 'AD2', 'AD3')),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    phone           text CHECK (phone ~ '^\+?[0-9 -]{6,20}$'),
    agency_code     text COLLATE "C" REFERENCES agency (code),
    is_demo         boolean NOT NULL DEFAULT false
);
CREATE INDEX facilitator_plan_idx ON facilitator (village_plan_id);

CREATE TABLE plan_item (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    village_plan_id         bigint NOT NULL REFERENCES village_plan (id) ON DELETE CASCADE,
    position                smallint NOT NULL CHECK (position >= 1),
    title                   text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    category                text NOT NULL CHECK (category IN ('PREVENTION', 'LIVELIHOOD', 'INFRASTRUCTURE',
                                'EDUCATION', 'HEALTH', 'ENVIRONMENT', 'SOCIAL', 'OTHER')),
    responsible_agency_code text COLLATE "C" REFERENCES agency (code),
    is_demo                 boolean NOT NULL DEFAULT false,
    UNIQUE (village_plan_id, position)
);
CREATE INDEX plan_item_agency_idx ON plan_item (responsible_agency_code);

-- +goose Down
DROP TABLE plan_item;
DROP TABLE facilitator;
DROP TABLE village_plan;
