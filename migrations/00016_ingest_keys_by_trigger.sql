-- A large import writes a few rows per record into assertion, assertion_history,
-- source_record and batch_created, each of which checked its batch (and the
-- assertion its agency) with a foreign key: millions of per-row checks for a
-- national file. What they protected is kept with cheaper means: batches are never
-- deleted (their rows are the trail of what was sent), and an agency that asserts
-- anything cannot be deleted.

-- +goose Up
ALTER TABLE assertion DROP CONSTRAINT assertion_batch_id_fkey, DROP CONSTRAINT assertion_agency_code_fkey;
ALTER TABLE assertion_history DROP CONSTRAINT assertion_history_batch_id_fkey;
ALTER TABLE source_record DROP CONSTRAINT source_record_batch_id_fkey;
ALTER TABLE batch_created DROP CONSTRAINT batch_created_batch_id_fkey;

-- +goose StatementBegin
CREATE FUNCTION import_batch_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'import batches are kept: undo a batch instead of deleting it' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE FUNCTION agency_without_assertions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- rare: a scan of the assertions is cheaper than an index every import pays for
    IF EXISTS (SELECT 1 FROM assertion WHERE agency_code = OLD.code) THEN
        RAISE EXCEPTION 'agency % has sent records the hub keeps', OLD.code USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER import_batch_kept BEFORE DELETE OR TRUNCATE ON import_batch FOR EACH STATEMENT EXECUTE FUNCTION import_batch_kept();
CREATE TRIGGER agency_without_assertions BEFORE DELETE ON agency FOR EACH ROW EXECUTE FUNCTION agency_without_assertions();

-- +goose Down
DROP TRIGGER agency_without_assertions ON agency;
DROP TRIGGER import_batch_kept ON import_batch;
DROP FUNCTION agency_without_assertions();
DROP FUNCTION import_batch_kept();
ALTER TABLE batch_created ADD CONSTRAINT batch_created_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch (id);
ALTER TABLE source_record ADD CONSTRAINT source_record_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch (id);
ALTER TABLE assertion_history ADD CONSTRAINT assertion_history_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch (id);
ALTER TABLE assertion ADD CONSTRAINT assertion_agency_code_fkey FOREIGN KEY (agency_code) REFERENCES agency (code),
    ADD CONSTRAINT assertion_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batch (id);
