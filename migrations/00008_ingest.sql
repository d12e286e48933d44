-- Ingestion: agencies push their records, keyed their own way (sourceId). Every
-- call or file is a batch; every value an agency sends for a field of an object is
-- an assertion, kept beside the other agencies' assertions; the value the schema
-- shows follows a per-field precedence of agency kinds.

-- +goose Up
CREATE TABLE import_batch (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_code  text COLLATE "C" NOT NULL REFERENCES agency (code),
    kind         text NOT NULL CHECK (kind IN ('village')),
    channel      text NOT NULL CHECK (channel IN ('api', 'cli', 'upload')),
    subject      text NOT NULL,
    file_name    text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    record_count integer NOT NULL CHECK (record_count >= 0),
    created      integer NOT NULL DEFAULT 0,
    updated      integer NOT NULL DEFAULT 0,
    unchanged    integer NOT NULL DEFAULT 0
);
CREATE INDEX import_batch_agency_idx ON import_batch (agency_code, kind, received_at DESC);

-- The sender's own key of each record it sent, and what it names in the hub.
CREATE TABLE source_record (
    agency_code  text COLLATE "C" NOT NULL REFERENCES agency (code),
    kind         text NOT NULL,
    source_id    text NOT NULL CHECK (btrim(source_id) <> '' AND length(source_id) <= 200),
    entity_key   text NOT NULL,
    payload_hash text NOT NULL,
    batch_id     bigint NOT NULL REFERENCES import_batch (id),
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agency_code, kind, source_id)
);
CREATE INDEX source_record_entity_idx ON source_record (kind, entity_key);

-- One agency's current value for one field of one object.
CREATE TABLE assertion (
    entity      text NOT NULL,
    entity_key  text NOT NULL,
    field       text NOT NULL,
    agency_code text COLLATE "C" NOT NULL REFERENCES agency (code),
    value       jsonb NOT NULL,
    source_id   text NOT NULL,
    batch_id    bigint NOT NULL REFERENCES import_batch (id),
    subject     text NOT NULL,
    asserted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, entity_key, field, agency_code)
);

-- Every change of an assertion: the history of who said what, when.
CREATE TABLE assertion_history (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity      text NOT NULL,
    entity_key  text NOT NULL,
    field       text NOT NULL,
    agency_code text COLLATE "C" NOT NULL,
    old_value   jsonb,
    new_value   jsonb NOT NULL,
    batch_id    bigint NOT NULL REFERENCES import_batch (id),
    subject     text NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assertion_history_entity_idx ON assertion_history (entity, entity_key, changed_at DESC);

-- Which agency kinds win for a field, first first. Kinds not listed come after, in
-- the order of their latest assertion.
CREATE TABLE field_precedence (
    entity       text NOT NULL,
    field        text NOT NULL,
    agency_kinds text[] NOT NULL,
    PRIMARY KEY (entity, field)
);
INSERT INTO field_precedence (entity, field, agency_kinds) VALUES
    ('village', 'name_th',    '{MOI,PROVINCIAL_OFFICE,DISTRICT_OFFICE}'),
    ('village', 'name_en',    '{MOI,PROVINCIAL_OFFICE,DISTRICT_OFFICE}'),
    ('village', 'households', '{MOI,PROVINCIAL_OFFICE,DISTRICT_OFFICE}'),
    ('village', 'population', '{MOI,PROVINCIAL_OFFICE,DISTRICT_OFFICE}');

ALTER TABLE role_rule DROP CONSTRAINT role_rule_writes_check;
ALTER TABLE role_rule ADD CONSTRAINT role_rule_writes_check CHECK (writes <@ ARRAY['plan', 'meeting', 'village']::text[]);
UPDATE role_rule SET writes = writes || '{village}' WHERE role IN ('admin', 'moi');

-- +goose Down
UPDATE role_rule SET writes = array_remove(writes, 'village');
ALTER TABLE role_rule DROP CONSTRAINT role_rule_writes_check;
ALTER TABLE role_rule ADD CONSTRAINT role_rule_writes_check CHECK (writes <@ ARRAY['plan', 'meeting']::text[]);
DROP TABLE field_precedence;
DROP TABLE assertion_history;
DROP TABLE assertion;
DROP TABLE source_record;
DROP TABLE import_batch;
