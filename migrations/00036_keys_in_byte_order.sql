-- The keys the ingestion compares are compared byte for byte (collation "C"), as
-- the staged records' keys and the codes they are built from already are.
--
-- A staged record's key (COLLATE "C") compared with a key of default collation
-- is compared in "C", which the default-collation index cannot answer: every
-- statement matching staged records to their assertions, source records, baseline
-- values or objects by ingest key read all the rows of the kind instead — on the
-- national data set a send of three plan items updated took 3.1 s, most of it four
-- scans of 1.1 million assertions. Byte order is the right order for codes and
-- keys, and a comparison without the locale costs less.
--
-- The columns' indexes are rebuilt; the rows are not rewritten. The two versioned
-- tables' valid_from triggers name ingest_key (migration 00035) and are made again.

-- +goose Up
DROP TRIGGER budget_line_version_valid_from ON budget_line;
DROP TRIGGER budget_line_version_valid_kept ON budget_line;
DROP TRIGGER facilitator_version_valid_from ON facilitator;
DROP TRIGGER facilitator_version_valid_kept ON facilitator;
ALTER TABLE assertion ALTER COLUMN entity TYPE text COLLATE "C", ALTER COLUMN entity_key TYPE text COLLATE "C", ALTER COLUMN field TYPE text COLLATE "C", ALTER COLUMN source_id TYPE text COLLATE "C";
ALTER TABLE assertion_history ALTER COLUMN entity TYPE text COLLATE "C", ALTER COLUMN entity_key TYPE text COLLATE "C", ALTER COLUMN field TYPE text COLLATE "C";
ALTER TABLE field_baseline ALTER COLUMN entity TYPE text COLLATE "C", ALTER COLUMN entity_key TYPE text COLLATE "C", ALTER COLUMN field TYPE text COLLATE "C";
ALTER TABLE conflict_resolution ALTER COLUMN entity TYPE text COLLATE "C", ALTER COLUMN entity_key TYPE text COLLATE "C", ALTER COLUMN field TYPE text COLLATE "C";
ALTER TABLE field_precedence ALTER COLUMN entity TYPE text COLLATE "C", ALTER COLUMN field TYPE text COLLATE "C";
ALTER TABLE source_record ALTER COLUMN kind TYPE text COLLATE "C", ALTER COLUMN source_id TYPE text COLLATE "C", ALTER COLUMN entity_key TYPE text COLLATE "C";
ALTER TABLE budget_line ALTER COLUMN ingest_key TYPE text COLLATE "C";
ALTER TABLE facilitator ALTER COLUMN ingest_key TYPE text COLLATE "C";
ALTER TABLE prevention_activity ALTER COLUMN ingest_key TYPE text COLLATE "C";
CREATE TRIGGER budget_line_version_valid_from BEFORE UPDATE ON budget_line FOR EACH ROW
    WHEN ((OLD.id, OLD.fiscal_year, OLD.amount, OLD.source, OLD.status, OLD.agency_code, OLD.plan_item_id, OLD.program_code, OLD.area_code, OLD.description, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.fiscal_year, NEW.amount, NEW.source, NEW.status, NEW.agency_code, NEW.plan_item_id, NEW.program_code, NEW.area_code, NEW.description, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER budget_line_version_valid_kept BEFORE UPDATE ON budget_line FOR EACH ROW
    WHEN ((OLD.id, OLD.fiscal_year, OLD.amount, OLD.source, OLD.status, OLD.agency_code, OLD.plan_item_id, OLD.program_code, OLD.area_code, OLD.description, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.fiscal_year, NEW.amount, NEW.source, NEW.status, NEW.agency_code, NEW.plan_item_id, NEW.program_code, NEW.area_code, NEW.description, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();
CREATE TRIGGER facilitator_version_valid_from BEFORE UPDATE ON facilitator FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.role, OLD.name, OLD.phone, OLD.agency_code, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.role, NEW.name, NEW.phone, NEW.agency_code, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER facilitator_version_valid_kept BEFORE UPDATE ON facilitator FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.role, OLD.name, OLD.phone, OLD.agency_code, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.role, NEW.name, NEW.phone, NEW.agency_code, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();

-- +goose Down
DROP TRIGGER budget_line_version_valid_from ON budget_line;
DROP TRIGGER budget_line_version_valid_kept ON budget_line;
DROP TRIGGER facilitator_version_valid_from ON facilitator;
DROP TRIGGER facilitator_version_valid_kept ON facilitator;
ALTER TABLE assertion ALTER COLUMN entity TYPE text COLLATE "default", ALTER COLUMN entity_key TYPE text COLLATE "default", ALTER COLUMN field TYPE text COLLATE "default", ALTER COLUMN source_id TYPE text COLLATE "default";
ALTER TABLE assertion_history ALTER COLUMN entity TYPE text COLLATE "default", ALTER COLUMN entity_key TYPE text COLLATE "default", ALTER COLUMN field TYPE text COLLATE "default";
ALTER TABLE field_baseline ALTER COLUMN entity TYPE text COLLATE "default", ALTER COLUMN entity_key TYPE text COLLATE "default", ALTER COLUMN field TYPE text COLLATE "default";
ALTER TABLE conflict_resolution ALTER COLUMN entity TYPE text COLLATE "default", ALTER COLUMN entity_key TYPE text COLLATE "default", ALTER COLUMN field TYPE text COLLATE "default";
ALTER TABLE field_precedence ALTER COLUMN entity TYPE text COLLATE "default", ALTER COLUMN field TYPE text COLLATE "default";
ALTER TABLE source_record ALTER COLUMN kind TYPE text COLLATE "default", ALTER COLUMN source_id TYPE text COLLATE "default", ALTER COLUMN entity_key TYPE text COLLATE "default";
ALTER TABLE budget_line ALTER COLUMN ingest_key TYPE text COLLATE "default";
ALTER TABLE facilitator ALTER COLUMN ingest_key TYPE text COLLATE "default";
ALTER TABLE prevention_activity ALTER COLUMN ingest_key TYPE text COLLATE "default";
CREATE TRIGGER budget_line_version_valid_from BEFORE UPDATE ON budget_line FOR EACH ROW
    WHEN ((OLD.id, OLD.fiscal_year, OLD.amount, OLD.source, OLD.status, OLD.agency_code, OLD.plan_item_id, OLD.program_code, OLD.area_code, OLD.description, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.fiscal_year, NEW.amount, NEW.source, NEW.status, NEW.agency_code, NEW.plan_item_id, NEW.program_code, NEW.area_code, NEW.description, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER budget_line_version_valid_kept BEFORE UPDATE ON budget_line FOR EACH ROW
    WHEN ((OLD.id, OLD.fiscal_year, OLD.amount, OLD.source, OLD.status, OLD.agency_code, OLD.plan_item_id, OLD.program_code, OLD.area_code, OLD.description, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.fiscal_year, NEW.amount, NEW.source, NEW.status, NEW.agency_code, NEW.plan_item_id, NEW.program_code, NEW.area_code, NEW.description, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();
CREATE TRIGGER facilitator_version_valid_from BEFORE UPDATE ON facilitator FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.role, OLD.name, OLD.phone, OLD.agency_code, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.role, NEW.name, NEW.phone, NEW.agency_code, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch))
    EXECUTE FUNCTION valid_from_now();
CREATE TRIGGER facilitator_version_valid_kept BEFORE UPDATE ON facilitator FOR EACH ROW
    WHEN ((OLD.id, OLD.village_plan_id, OLD.role, OLD.name, OLD.phone, OLD.agency_code, OLD.is_demo, OLD.ingest_key, OLD.created_by_batch)
        IS NOT DISTINCT FROM (NEW.id, NEW.village_plan_id, NEW.role, NEW.name, NEW.phone, NEW.agency_code, NEW.is_demo, NEW.ingest_key, NEW.created_by_batch)
        AND NEW.valid_from IS DISTINCT FROM OLD.valid_from)
    EXECUTE FUNCTION valid_from_kept();
