-- A row's valid_from moves when anything but updated_at changes (migration 00031):
-- now said in each table's triggers' WHEN, a comparison of the row's columns that
-- PostgreSQL makes itself, instead of in a function that turned both versions of
-- every updated row into JSON to compare them — 9.4 µs a row, 3.5 s of a national
-- import updating 370,086 items. The columns are named here: a column added to a
-- versioned table must be added to its two triggers (TestRowVersions_ValidFromWatchesEveryColumn
-- fails until it is). Generated columns follow the others and are left out, as a
-- BEFORE trigger's WHEN cannot read them. The names keep the triggers after the
-- tables' other BEFORE triggers (budget_line_set_area): they see the row as it
-- will be written.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION valid_from_now() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.valid_from := now();
    RETURN NEW;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
-- a row rewritten as it was keeps its start, whatever the statement set
CREATE FUNCTION valid_from_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.valid_from := OLD.valid_from;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

DROP TRIGGER village_plan_version_valid_from ON village_plan;
CREATE TRIGGER village_plan_version_valid_from BEFORE UPDATE ON village_plan FOR EACH ROW
    WHEN ((OLD.id, OLD.village_code, OLD.fiscal_year, OLD.status, OLD.scheduled_start, OLD.scheduled_end, OLD.completed_on, OLD.participation_rate, OLD.is_demo, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.village_code, NEW.fiscal_year, NEW.status, NEW.scheduled_start, NEW.scheduled_end, NEW.completed_on, NEW.participation_rate, NEW.is_demo, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER village_plan_version_valid_kept BEFORE UPDATE ON village_plan FOR EACH ROW
    WHEN ((OLD.id, OLD.village_code, OLD.fiscal_year, OLD.status, OLD.scheduled_start, OLD.scheduled_end, OLD.completed_on, OLD.participation_rate, OLD.is_demo, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.village_code, NEW.fiscal_year, NEW.status, NEW.scheduled_start, NEW.scheduled_end, NEW.completed_on, NEW.participation_rate, NEW.is_demo, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();

DROP TRIGGER plan_item_version_valid_from ON plan_item;
CREATE TRIGGER plan_item_version_valid_from BEFORE UPDATE ON plan_item FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.position, OLD.title, OLD.category, OLD.responsible_agency_code, OLD.is_demo, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.position, NEW.title, NEW.category, NEW.responsible_agency_code, NEW.is_demo, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER plan_item_version_valid_kept BEFORE UPDATE ON plan_item FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.position, OLD.title, OLD.category, OLD.responsible_agency_code, OLD.is_demo, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.position, NEW.title, NEW.category, NEW.responsible_agency_code, NEW.is_demo, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();

DROP TRIGGER facilitator_version_valid_from ON facilitator;
CREATE TRIGGER facilitator_version_valid_from BEFORE UPDATE ON facilitator FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.role, OLD.name, OLD.phone, OLD.agency_code, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.role, NEW.name, NEW.phone, NEW.agency_code, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER facilitator_version_valid_kept BEFORE UPDATE ON facilitator FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.role, OLD.name, OLD.phone, OLD.agency_code, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.role, NEW.name, NEW.phone, NEW.agency_code, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();

DROP TRIGGER budget_line_version_valid_from ON budget_line;
CREATE TRIGGER budget_line_version_valid_from BEFORE UPDATE ON budget_line FOR EACH ROW
    WHEN ((OLD.id, OLD.fiscal_year, OLD.amount, OLD.source, OLD.status, OLD.agency_code, OLD.plan_item_id, OLD.program_code, OLD.area_code, OLD.description, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.fiscal_year, NEW.amount, NEW.source, NEW.status, NEW.agency_code, NEW.plan_item_id, NEW.program_code, NEW.area_code, NEW.description, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER budget_line_version_valid_kept BEFORE UPDATE ON budget_line FOR EACH ROW
    WHEN ((OLD.id, OLD.fiscal_year, OLD.amount, OLD.source, OLD.status, OLD.agency_code, OLD.plan_item_id, OLD.program_code, OLD.area_code, OLD.description, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.fiscal_year, NEW.amount, NEW.source, NEW.status, NEW.agency_code, NEW.plan_item_id, NEW.program_code, NEW.area_code, NEW.description, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();

DROP FUNCTION stamp_valid_from();


-- +goose Down
-- +goose StatementBegin
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

DROP TRIGGER village_plan_version_valid_from ON village_plan;
DROP TRIGGER village_plan_version_valid_kept ON village_plan;
CREATE TRIGGER village_plan_version_valid_from BEFORE UPDATE ON village_plan FOR EACH ROW EXECUTE FUNCTION stamp_valid_from('village_level');

DROP TRIGGER plan_item_version_valid_from ON plan_item;
DROP TRIGGER plan_item_version_valid_kept ON plan_item;
CREATE TRIGGER plan_item_version_valid_from BEFORE UPDATE ON plan_item FOR EACH ROW EXECUTE FUNCTION stamp_valid_from();

DROP TRIGGER facilitator_version_valid_from ON facilitator;
DROP TRIGGER facilitator_version_valid_kept ON facilitator;
CREATE TRIGGER facilitator_version_valid_from BEFORE UPDATE ON facilitator FOR EACH ROW EXECUTE FUNCTION stamp_valid_from();

DROP TRIGGER budget_line_version_valid_from ON budget_line;
DROP TRIGGER budget_line_version_valid_kept ON budget_line;
CREATE TRIGGER budget_line_version_valid_from BEFORE UPDATE ON budget_line FOR EACH ROW EXECUTE FUNCTION stamp_valid_from();

DROP FUNCTION valid_from_now();
DROP FUNCTION valid_from_kept();
