-- Two costs every registry import paid for nothing:
-- * an area's parent and level follow from its code (checked), so an update never
--   moves a village between subdistricts: the village counts change only on insert
--   and delete, and their update triggers were a pass over every row changed;
-- * no statement reads source records by the object they name: the index on it was
--   an index entry per record.

-- +goose Up
DROP TRIGGER village_count_upd ON area;
DROP TRIGGER village_count_x_district_upd ON area;
DROP INDEX source_record_entity_idx;

-- +goose Down
CREATE INDEX source_record_entity_idx ON source_record (kind, entity_key);
CREATE TRIGGER village_count_upd AFTER UPDATE ON area REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION village_count_apply();
CREATE TRIGGER village_count_x_district_upd AFTER UPDATE ON area REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION village_count_district_apply();
