-- Every version of plans, their items and facilitators, and budget lines, with the
-- time it was in force, so that they can be read as of a past instant. Written by
-- triggers, so that no write path can forget it.

-- +goose Up
CREATE TABLE village_plan_version (id bigint NOT NULL, valid tstzrange NOT NULL, row jsonb NOT NULL);
CREATE TABLE plan_item_version    (id bigint NOT NULL, valid tstzrange NOT NULL, row jsonb NOT NULL);
CREATE TABLE facilitator_version  (id bigint NOT NULL, valid tstzrange NOT NULL, row jsonb NOT NULL);
CREATE TABLE budget_line_version  (id bigint NOT NULL, valid tstzrange NOT NULL, row jsonb NOT NULL);
CREATE INDEX village_plan_version_idx ON village_plan_version USING gist (valid);
CREATE INDEX plan_item_version_idx    ON plan_item_version USING gist (valid);
CREATE INDEX facilitator_version_idx  ON facilitator_version USING gist (valid);
CREATE INDEX budget_line_version_idx  ON budget_line_version USING gist (valid);
CREATE INDEX village_plan_version_id_idx ON village_plan_version (id) WHERE upper_inf(valid);
CREATE INDEX plan_item_version_id_idx    ON plan_item_version (id) WHERE upper_inf(valid);
CREATE INDEX facilitator_version_id_idx  ON facilitator_version (id) WHERE upper_inf(valid);
CREATE INDEX budget_line_version_id_idx  ON budget_line_version (id) WHERE upper_inf(valid);

-- +goose StatementBegin
CREATE FUNCTION keep_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    versions text := TG_TABLE_NAME || '_version';
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - 'updated_at' = to_jsonb(NEW) - 'updated_at' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('UPDATE %I SET valid = tstzrange(lower(valid), greatest(lower(valid), now())) WHERE id = $1 AND upper_inf(valid)', versions)
            USING OLD.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format('INSERT INTO %I (id, valid, row) VALUES ($1, tstzrange(now(), NULL), $2)', versions)
            USING NEW.id, to_jsonb(NEW);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER village_plan_version AFTER INSERT OR UPDATE OR DELETE ON village_plan FOR EACH ROW EXECUTE FUNCTION keep_row_version();
CREATE TRIGGER plan_item_version    AFTER INSERT OR UPDATE OR DELETE ON plan_item    FOR EACH ROW EXECUTE FUNCTION keep_row_version();
CREATE TRIGGER facilitator_version  AFTER INSERT OR UPDATE OR DELETE ON facilitator  FOR EACH ROW EXECUTE FUNCTION keep_row_version();
CREATE TRIGGER budget_line_version  AFTER INSERT OR UPDATE OR DELETE ON budget_line  FOR EACH ROW EXECUTE FUNCTION keep_row_version();

-- rows from before versioning: known from now on
INSERT INTO village_plan_version SELECT id, tstzrange(now(), NULL), to_jsonb(t) FROM village_plan t;
INSERT INTO plan_item_version    SELECT id, tstzrange(now(), NULL), to_jsonb(t) FROM plan_item t;
INSERT INTO facilitator_version  SELECT id, tstzrange(now(), NULL), to_jsonb(t) FROM facilitator t;
INSERT INTO budget_line_version  SELECT id, tstzrange(now(), NULL), to_jsonb(t) FROM budget_line t;

-- +goose Down
DROP TRIGGER budget_line_version ON budget_line;
DROP TRIGGER facilitator_version ON facilitator;
DROP TRIGGER plan_item_version ON plan_item;
DROP TRIGGER village_plan_version ON village_plan;
DROP FUNCTION keep_row_version();
DROP TABLE budget_line_version;
DROP TABLE facilitator_version;
DROP TABLE plan_item_version;
DROP TABLE village_plan_version;
