-- Undoing a batch: the objects a batch created, and the batch's undoing.

-- +goose Up
CREATE TABLE batch_created (
    batch_id   bigint NOT NULL REFERENCES import_batch (id),
    entity     text NOT NULL,
    entity_key text NOT NULL,
    PRIMARY KEY (batch_id, entity, entity_key)
);
ALTER TABLE import_batch ADD COLUMN undone_at timestamptz, ADD COLUMN undone_by text,
    ADD CONSTRAINT import_batch_undone_check CHECK ((undone_at IS NULL) = (undone_by IS NULL));
-- an undo that removes an agency's value records null as the new value
ALTER TABLE assertion_history ALTER COLUMN new_value DROP NOT NULL,
    ADD COLUMN undo_of bigint REFERENCES import_batch (id);

-- +goose Down
ALTER TABLE assertion_history DROP COLUMN undo_of;
DELETE FROM assertion_history WHERE new_value IS NULL;
ALTER TABLE assertion_history ALTER COLUMN new_value SET NOT NULL;
ALTER TABLE import_batch DROP CONSTRAINT import_batch_undone_check, DROP COLUMN undone_by, DROP COLUMN undone_at;
DROP TABLE batch_created;
