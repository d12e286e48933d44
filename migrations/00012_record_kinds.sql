-- Kinds of records besides villages: village plans and their items, budget lines,
-- facilitator assignments and prevention activities, through the same batches,
-- sourceIds and assertions. An object fed this way carries its key (ingest_key):
-- what makes two agencies' records speak of the same object.

-- +goose Up
ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind_check,
    ADD CONSTRAINT import_batch_kind_check CHECK (kind IN ('village', 'village_plan', 'plan_item', 'budget_line', 'facilitator', 'prevention_activity'));
ALTER TABLE feed_schedule DROP CONSTRAINT feed_schedule_kind_check,
    ADD CONSTRAINT feed_schedule_kind_check CHECK (kind IN ('village', 'village_plan', 'plan_item', 'budget_line', 'facilitator', 'prevention_activity'));

-- The area (a village, usually) an assertion's object lies in: what scopes read it.
ALTER TABLE assertion ADD COLUMN area_code text COLLATE "C";
ALTER TABLE assertion_history ADD COLUMN area_code text COLLATE "C";
UPDATE assertion SET area_code = entity_key WHERE entity = 'village';
UPDATE assertion_history SET area_code = entity_key WHERE entity = 'village';
CREATE INDEX assertion_area_idx ON assertion (area_code, entity, entity_key);

ALTER TABLE budget_line ADD COLUMN ingest_key text UNIQUE;
ALTER TABLE facilitator ADD COLUMN ingest_key text UNIQUE;
ALTER TABLE plan_item ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE budget_line ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE prevention_activity (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the sending agency's code and sourceId
    ingest_key    text NOT NULL UNIQUE,
    agency_code   text COLLATE "C" NOT NULL REFERENCES agency (code),
    village_code  text COLLATE "C" NOT NULL,
    village_level text NOT NULL GENERATED ALWAYS AS ('VILLAGE') STORED,
    held_on       date NOT NULL,
    activity_type text NOT NULL CHECK (activity_type IN ('AWARENESS', 'SCREENING', 'TREATMENT_REFERRAL', 'YOUTH', 'COMMUNITY_WATCH', 'OTHER')),
    title         text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    participants  integer CHECK (participants >= 0),
    program_code  text COLLATE "C" REFERENCES program (code),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (village_code, village_level) REFERENCES area (code, level)
);
CREATE INDEX prevention_activity_village_idx ON prevention_activity (village_code, held_on DESC);
CREATE INDEX prevention_activity_program_idx ON prevention_activity (program_code, held_on DESC);

-- Who writes the new kinds: budget (any agency's lines where the role writes),
-- own_budget (only its own agency's lines), facilitator, activity.
ALTER TABLE role_rule DROP CONSTRAINT role_rule_writes_check;
ALTER TABLE role_rule ADD CONSTRAINT role_rule_writes_check
    CHECK (writes <@ ARRAY['plan', 'meeting', 'village', 'budget', 'own_budget', 'facilitator', 'activity']::text[]);
UPDATE role_rule SET writes = writes || '{budget,facilitator,activity}' WHERE role = 'admin';
UPDATE role_rule SET writes = writes || '{activity}' WHERE role IN ('oncb', 'oncb_region');
UPDATE role_rule SET writes = writes || '{budget}' WHERE role = 'province';
UPDATE role_rule SET writes = writes || '{facilitator,activity}' WHERE role = 'pidthong';
UPDATE role_rule SET writes = writes || '{own_budget}' WHERE role = 'partner';

INSERT INTO field_precedence (entity, field, agency_kinds) VALUES
    ('village_plan', 'status',            '{PROVINCIAL_OFFICE,DISTRICT_OFFICE,PID_THONG,MOI}'),
    ('village_plan', 'participationRate', '{PROVINCIAL_OFFICE,DISTRICT_OFFICE,PID_THONG,MOI}'),
    ('village_plan', 'scheduledStart',    '{PROVINCIAL_OFFICE,DISTRICT_OFFICE,MOI}'),
    ('village_plan', 'scheduledEnd',      '{PROVINCIAL_OFFICE,DISTRICT_OFFICE,MOI}'),
    ('village_plan', 'completedOn',       '{PROVINCIAL_OFFICE,DISTRICT_OFFICE,PID_THONG,MOI}'),
    ('plan_item',    'title',             '{PROVINCIAL_OFFICE,DISTRICT_OFFICE}'),
    ('budget_line',  'amount',            '{PROVINCIAL_OFFICE,FUNCTION_AGENCY,PID_THONG,FOUNDATION}'),
    ('budget_line',  'status',            '{PROVINCIAL_OFFICE,FUNCTION_AGENCY,PID_THONG,FOUNDATION}'),
    ('facilitator',  'name',              '{PID_THONG,DISTRICT_OFFICE,PROVINCIAL_OFFICE}'),
    ('facilitator',  'phone',             '{PID_THONG,DISTRICT_OFFICE,PROVINCIAL_OFFICE}');

-- +goose Down
DELETE FROM field_precedence WHERE entity <> 'village';
UPDATE role_rule SET writes = ARRAY(SELECT w FROM unnest(writes) w WHERE w IN ('plan', 'meeting', 'village'));
ALTER TABLE role_rule DROP CONSTRAINT role_rule_writes_check;
ALTER TABLE role_rule ADD CONSTRAINT role_rule_writes_check CHECK (writes <@ ARRAY['plan', 'meeting', 'village']::text[]);
DROP TABLE prevention_activity;
ALTER TABLE budget_line DROP COLUMN updated_at;
ALTER TABLE plan_item DROP COLUMN updated_at;
ALTER TABLE facilitator DROP COLUMN ingest_key;
ALTER TABLE budget_line DROP COLUMN ingest_key;
DROP INDEX assertion_area_idx;
ALTER TABLE assertion_history DROP COLUMN area_code;
ALTER TABLE assertion DROP COLUMN area_code;
DELETE FROM conflict_resolution WHERE entity <> 'village';
DELETE FROM batch_created WHERE entity <> 'village';
DELETE FROM assertion_history WHERE entity <> 'village';
DELETE FROM assertion WHERE entity <> 'village';
DELETE FROM source_record WHERE kind <> 'village';
DELETE FROM import_batch WHERE kind <> 'village';
ALTER TABLE feed_schedule DROP CONSTRAINT feed_schedule_kind_check,
    ADD CONSTRAINT feed_schedule_kind_check CHECK (kind IN ('village'));
ALTER TABLE import_batch DROP CONSTRAINT import_batch_kind_check,
    ADD CONSTRAINT import_batch_kind_check CHECK (kind IN ('village'));
