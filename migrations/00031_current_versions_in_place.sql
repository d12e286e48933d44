-- A row's current version is the row itself; the versions tables keep only the
-- versions that a change or a delete ended.
--
-- Every row had its current version copied, as JSON, into its table's versions
-- (migration 00014): on the national data set 1.2 GB of versions beside 600 MB of
-- rows, a quarter of the time generating it (26.5 s of 100 s), and the largest
-- single write of a first import of records after the rows themselves. Now each
-- versioned table says since when its row is as it is (valid_from: a row trigger
-- sets it when anything but updated_at changes), and a statement trigger writes
-- the version that an update or a delete ends, valid from valid_from to now.
-- Reading as of an instant reads the rows valid then from the table and the ended
-- versions in force then (internal/postgres/asof.go). Inserts write no version.

-- +goose Up
ALTER TABLE village_plan ADD COLUMN valid_from timestamptz NOT NULL DEFAULT now();
ALTER TABLE plan_item    ADD COLUMN valid_from timestamptz NOT NULL DEFAULT now();
ALTER TABLE facilitator  ADD COLUMN valid_from timestamptz NOT NULL DEFAULT now();
ALTER TABLE budget_line  ADD COLUMN valid_from timestamptz NOT NULL DEFAULT now();

DROP TRIGGER village_plan_version_ins ON village_plan;
DROP TRIGGER village_plan_version_upd ON village_plan;
DROP TRIGGER village_plan_version_del ON village_plan;
DROP TRIGGER plan_item_version_ins ON plan_item;
DROP TRIGGER plan_item_version_upd ON plan_item;
DROP TRIGGER plan_item_version_del ON plan_item;
DROP TRIGGER facilitator_version_ins ON facilitator;
DROP TRIGGER facilitator_version_upd ON facilitator;
DROP TRIGGER facilitator_version_del ON facilitator;
DROP TRIGGER budget_line_version_ins ON budget_line;
DROP TRIGGER budget_line_version_upd ON budget_line;
DROP TRIGGER budget_line_version_del ON budget_line;

-- Each row is valid from its open version's start; then the open versions go.
-- (The other triggers — totals, notifications — have nothing to do here.)
ALTER TABLE village_plan DISABLE TRIGGER USER;
UPDATE village_plan t SET valid_from = lower(v.valid) FROM village_plan_version v WHERE v.id = t.id AND upper_inf(v.valid);
ALTER TABLE village_plan ENABLE TRIGGER USER;
ALTER TABLE plan_item DISABLE TRIGGER USER;
UPDATE plan_item t SET valid_from = lower(v.valid) FROM plan_item_version v WHERE v.id = t.id AND upper_inf(v.valid);
ALTER TABLE plan_item ENABLE TRIGGER USER;
ALTER TABLE facilitator DISABLE TRIGGER USER;
UPDATE facilitator t SET valid_from = lower(v.valid) FROM facilitator_version v WHERE v.id = t.id AND upper_inf(v.valid);
ALTER TABLE facilitator ENABLE TRIGGER USER;
ALTER TABLE budget_line DISABLE TRIGGER USER;
UPDATE budget_line t SET valid_from = lower(v.valid) FROM budget_line_version v WHERE v.id = t.id AND upper_inf(v.valid);
ALTER TABLE budget_line ENABLE TRIGGER USER;
DELETE FROM village_plan_version WHERE upper_inf(valid);
DELETE FROM plan_item_version WHERE upper_inf(valid);
DELETE FROM facilitator_version WHERE upper_inf(valid);
DELETE FROM budget_line_version WHERE upper_inf(valid);

-- +goose StatementBegin
-- A row changed in anything but updated_at is valid from now; one rewritten as it
-- was keeps its start (whatever the statement set). Named to run after the tables'
-- other BEFORE triggers (budget_line_set_area), on the row as it will be written.
-- The trigger's arguments name the table's generated columns, which are not yet
-- computed in NEW.
CREATE FUNCTION stamp_valid_from() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ignored text[] := '{updated_at,valid_from}'::text[] || TG_ARGV;
BEGIN
    IF to_jsonb(NEW) - ignored <> to_jsonb(OLD) - ignored THEN
        NEW.valid_from := now();
    ELSE
        NEW.valid_from := OLD.valid_from;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
-- The versions an update or a delete ends: a row's old self, valid from its
-- valid_from to now — unless it began in this same transaction (an empty range,
-- in force at no instant).
CREATE OR REPLACE FUNCTION keep_row_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    versions text := TG_TABLE_NAME || '_version';
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('INSERT INTO %I (id, valid, row) SELECT o.id, tstzrange(o.valid_from, now()), to_jsonb(o)
            FROM old_rows o WHERE o.valid_from < now()', versions);
    ELSE
        EXECUTE format('INSERT INTO %I (id, valid, row) SELECT o.id, tstzrange(o.valid_from, now()), to_jsonb(o)
            FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.valid_from <> o.valid_from AND o.valid_from < now()', versions);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER village_plan_version_valid_from BEFORE UPDATE ON village_plan FOR EACH ROW EXECUTE FUNCTION stamp_valid_from('village_level');
CREATE TRIGGER plan_item_version_valid_from BEFORE UPDATE ON plan_item FOR EACH ROW EXECUTE FUNCTION stamp_valid_from();
CREATE TRIGGER facilitator_version_valid_from BEFORE UPDATE ON facilitator FOR EACH ROW EXECUTE FUNCTION stamp_valid_from();
CREATE TRIGGER budget_line_version_valid_from BEFORE UPDATE ON budget_line FOR EACH ROW EXECUTE FUNCTION stamp_valid_from();
CREATE TRIGGER village_plan_version_upd AFTER UPDATE ON village_plan REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER village_plan_version_del AFTER DELETE ON village_plan REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER plan_item_version_upd AFTER UPDATE ON plan_item REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER plan_item_version_del AFTER DELETE ON plan_item REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER facilitator_version_upd AFTER UPDATE ON facilitator REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER facilitator_version_del AFTER DELETE ON facilitator REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER budget_line_version_upd AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER budget_line_version_del AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();

ANALYZE village_plan_version;
ANALYZE plan_item_version;
ANALYZE facilitator_version;
ANALYZE budget_line_version;

-- +goose Down
DROP TRIGGER village_plan_version_valid_from ON village_plan;
DROP TRIGGER plan_item_version_valid_from ON plan_item;
DROP TRIGGER facilitator_version_valid_from ON facilitator;
DROP TRIGGER budget_line_version_valid_from ON budget_line;
DROP TRIGGER village_plan_version_upd ON village_plan;
DROP TRIGGER village_plan_version_del ON village_plan;
DROP TRIGGER plan_item_version_upd ON plan_item;
DROP TRIGGER plan_item_version_del ON plan_item;
DROP TRIGGER facilitator_version_upd ON facilitator;
DROP TRIGGER facilitator_version_del ON facilitator;
DROP TRIGGER budget_line_version_upd ON budget_line;
DROP TRIGGER budget_line_version_del ON budget_line;
DROP FUNCTION stamp_valid_from();

INSERT INTO village_plan_version (id, valid, row) SELECT t.id, tstzrange(t.valid_from, NULL), to_jsonb(t) - 'valid_from' FROM village_plan t;
INSERT INTO plan_item_version (id, valid, row) SELECT t.id, tstzrange(t.valid_from, NULL), to_jsonb(t) - 'valid_from' FROM plan_item t;
INSERT INTO facilitator_version (id, valid, row) SELECT t.id, tstzrange(t.valid_from, NULL), to_jsonb(t) - 'valid_from' FROM facilitator t;
INSERT INTO budget_line_version (id, valid, row) SELECT t.id, tstzrange(t.valid_from, NULL), to_jsonb(t) - 'valid_from' FROM budget_line t;
ALTER TABLE village_plan DROP COLUMN valid_from;
ALTER TABLE plan_item DROP COLUMN valid_from;
ALTER TABLE facilitator DROP COLUMN valid_from;
ALTER TABLE budget_line DROP COLUMN valid_from;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION keep_row_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    versions text := TG_TABLE_NAME || '_version';
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO %I (id, valid, row) SELECT n.id, tstzrange(now(), NULL), to_jsonb(n) FROM new_rows n', versions);
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('UPDATE %I v SET valid = tstzrange(lower(v.valid), greatest(lower(v.valid), now()))
            FROM old_rows o WHERE v.id = o.id AND upper_inf(v.valid)', versions);
    ELSE
        EXECUTE format('WITH changed AS MATERIALIZED (
                SELECT n.id, to_jsonb(n) AS row FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE to_jsonb(o) - ''updated_at'' <> to_jsonb(n) - ''updated_at''),
            closed AS (
                UPDATE %I v SET valid = tstzrange(lower(v.valid), greatest(lower(v.valid), now()))
                FROM changed c WHERE v.id = c.id AND upper_inf(v.valid))
            INSERT INTO %I (id, valid, row) SELECT c.id, tstzrange(now(), NULL), c.row FROM changed c', versions, versions);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER village_plan_version_ins AFTER INSERT ON village_plan REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER village_plan_version_upd AFTER UPDATE ON village_plan REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER village_plan_version_del AFTER DELETE ON village_plan REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER plan_item_version_ins AFTER INSERT ON plan_item REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER plan_item_version_upd AFTER UPDATE ON plan_item REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER plan_item_version_del AFTER DELETE ON plan_item REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER facilitator_version_ins AFTER INSERT ON facilitator REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER facilitator_version_upd AFTER UPDATE ON facilitator REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER facilitator_version_del AFTER DELETE ON facilitator REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER budget_line_version_ins AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER budget_line_version_upd AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
CREATE TRIGGER budget_line_version_del AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION keep_row_versions();
