-- The villages a batch created are marked on themselves too, as the record
-- kinds' objects are (migration 00033), and batch_created goes.
--
-- A national village file wrote a batch_created row for each village it created
-- (about 0.7 s of 15 s); the village's row now says which batch created it
-- (created_by_batch; NULL for the reference geography and villages entered
-- otherwise). Undo removes the villages marked with the batch that nothing asserts
-- or uses.

-- +goose Up
ALTER TABLE area ADD COLUMN created_by_batch bigint;
-- the villages of batches so far (the last batch, where an undone batch's village
-- was created again); not news for the village counts
ALTER TABLE area DISABLE TRIGGER USER;
UPDATE area a SET created_by_batch = bc.batch_id
FROM (SELECT entity_key, max(batch_id) AS batch_id FROM batch_created WHERE entity = 'village' GROUP BY 1) bc
WHERE a.code = bc.entity_key AND a.level = 'VILLAGE';
ALTER TABLE area ENABLE TRIGGER USER;
DROP TABLE batch_created;

-- +goose Down
CREATE TABLE batch_created (
    batch_id   bigint NOT NULL,
    entity     text NOT NULL,
    entity_key text NOT NULL,
    PRIMARY KEY (batch_id, entity, entity_key)
);
INSERT INTO batch_created (batch_id, entity, entity_key)
SELECT created_by_batch, 'village', code FROM area WHERE created_by_batch IS NOT NULL;
ALTER TABLE area DROP COLUMN created_by_batch;
