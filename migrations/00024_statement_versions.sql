-- Row versions written per statement instead of per row: one set-based statement
-- for all the rows an import touches, where each row's own trigger ran a dynamic
-- statement. Same versions as before (a row's update that changes nothing but
-- updated_at keeps its version).

-- +goose Up
DROP TRIGGER village_plan_version ON village_plan;
DROP TRIGGER plan_item_version ON plan_item;
DROP TRIGGER facilitator_version ON facilitator;
DROP TRIGGER budget_line_version ON budget_line;

-- +goose StatementBegin
CREATE FUNCTION keep_row_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    versions text := TG_TABLE_NAME || '_version';
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO %I (id, valid, row) SELECT n.id, tstzrange(now(), NULL), to_jsonb(n) FROM new_rows n', versions);
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE format('UPDATE %I v SET valid = tstzrange(lower(v.valid), greatest(lower(v.valid), now()))
            FROM old_rows o WHERE v.id = o.id AND upper_inf(v.valid)', versions);
    ELSE
        EXECUTE format('CREATE TEMP TABLE IF NOT EXISTS changed_row_ids (id bigint) ON COMMIT DROP');
        EXECUTE 'TRUNCATE changed_row_ids';
        EXECUTE 'INSERT INTO changed_row_ids SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE to_jsonb(o) - ''updated_at'' <> to_jsonb(n) - ''updated_at''';
        EXECUTE format('UPDATE %I v SET valid = tstzrange(lower(v.valid), greatest(lower(v.valid), now()))
            FROM changed_row_ids c WHERE v.id = c.id AND upper_inf(v.valid)', versions);
        EXECUTE format('INSERT INTO %I (id, valid, row) SELECT n.id, tstzrange(now(), NULL), to_jsonb(n)
            FROM new_rows n JOIN changed_row_ids c ON c.id = n.id', versions);
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

-- +goose Down
DROP TRIGGER budget_line_version_del ON budget_line;
DROP TRIGGER budget_line_version_upd ON budget_line;
DROP TRIGGER budget_line_version_ins ON budget_line;
DROP TRIGGER facilitator_version_del ON facilitator;
DROP TRIGGER facilitator_version_upd ON facilitator;
DROP TRIGGER facilitator_version_ins ON facilitator;
DROP TRIGGER plan_item_version_del ON plan_item;
DROP TRIGGER plan_item_version_upd ON plan_item;
DROP TRIGGER plan_item_version_ins ON plan_item;
DROP TRIGGER village_plan_version_del ON village_plan;
DROP TRIGGER village_plan_version_upd ON village_plan;
DROP TRIGGER village_plan_version_ins ON village_plan;
DROP FUNCTION keep_row_versions();
CREATE TRIGGER village_plan_version AFTER INSERT OR UPDATE OR DELETE ON village_plan FOR EACH ROW EXECUTE FUNCTION keep_row_version();
CREATE TRIGGER plan_item_version    AFTER INSERT OR UPDATE OR DELETE ON plan_item    FOR EACH ROW EXECUTE FUNCTION keep_row_version();
CREATE TRIGGER facilitator_version  AFTER INSERT OR UPDATE OR DELETE ON facilitator  FOR EACH ROW EXECUTE FUNCTION keep_row_version();
CREATE TRIGGER budget_line_version  AFTER INSERT OR UPDATE OR DELETE ON budget_line  FOR EACH ROW EXECUTE FUNCTION keep_row_version();
