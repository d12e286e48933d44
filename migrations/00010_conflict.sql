-- A disagreement between agencies on a field is open until an authorised caller
-- picks the agency whose value is shown, with a reason. A later change of any side
-- reopens it (reopened_at); the resolution stays as a record.

-- +goose Up
CREATE TABLE conflict_resolution (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity        text NOT NULL,
    entity_key    text NOT NULL,
    field         text NOT NULL,
    chosen_agency text COLLATE "C" NOT NULL REFERENCES agency (code),
    reason        text NOT NULL CHECK (btrim(reason) <> ''),
    resolved_by   text NOT NULL,
    resolved_at   timestamptz NOT NULL DEFAULT now(),
    reopened_at   timestamptz
);
-- at most one resolution in force per field of an object
CREATE UNIQUE INDEX conflict_resolution_open_idx ON conflict_resolution (entity, entity_key, field) WHERE reopened_at IS NULL;

-- +goose Down
DROP TABLE conflict_resolution;
