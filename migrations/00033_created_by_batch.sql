-- The objects a batch of records created are marked on the objects themselves,
-- and source records no longer check their agency with a foreign key.
--
-- Undo removes the objects a batch created: they were listed in batch_created, a
-- row per object, whose key each insert found again by a subquery per row (for a
-- plan item, its plan's village and year). For a national file of plan items that
-- was 2.2 s of the 11.8 s of writing the items. The batch that created an object is
-- now a column written with the object (created_by_batch; villages, which are
-- areas, keep batch_created). The agency of each source record was checked row by
-- row (about 1.5 s a national file) though the records pipeline checks it once a
-- batch; an agency that holds source records cannot be deleted, as one that
-- asserts anything (migration 00016).

-- +goose Up
ALTER TABLE village_plan        ADD COLUMN created_by_batch bigint;
ALTER TABLE plan_item           ADD COLUMN created_by_batch bigint;
ALTER TABLE budget_line         ADD COLUMN created_by_batch bigint;
ALTER TABLE facilitator         ADD COLUMN created_by_batch bigint;
ALTER TABLE prevention_activity ADD COLUMN created_by_batch bigint;

-- the objects batches created so far (the last batch, where an undone batch's
-- object was created again); not news for versions or totals
ALTER TABLE village_plan DISABLE TRIGGER USER;
UPDATE village_plan p SET created_by_batch = bc.batch_id
FROM (SELECT entity_key, max(batch_id) AS batch_id FROM batch_created WHERE entity = 'village_plan' GROUP BY 1) bc
WHERE bc.entity_key = p.village_code || ':' || p.fiscal_year;
ALTER TABLE village_plan ENABLE TRIGGER USER;
ALTER TABLE plan_item DISABLE TRIGGER USER;
UPDATE plan_item i SET created_by_batch = bc.batch_id
FROM (SELECT entity_key, max(batch_id) AS batch_id FROM batch_created WHERE entity = 'plan_item' GROUP BY 1) bc, village_plan vp
WHERE vp.id = i.village_plan_id AND bc.entity_key = vp.village_code || ':' || vp.fiscal_year || ':' || i.position;
ALTER TABLE plan_item ENABLE TRIGGER USER;
ALTER TABLE budget_line DISABLE TRIGGER USER;
UPDATE budget_line b SET created_by_batch = bc.batch_id
FROM (SELECT entity_key, max(batch_id) AS batch_id FROM batch_created WHERE entity = 'budget_line' GROUP BY 1) bc
WHERE bc.entity_key = b.ingest_key;
ALTER TABLE budget_line ENABLE TRIGGER USER;
ALTER TABLE facilitator DISABLE TRIGGER USER;
UPDATE facilitator f SET created_by_batch = bc.batch_id
FROM (SELECT entity_key, max(batch_id) AS batch_id FROM batch_created WHERE entity = 'facilitator' GROUP BY 1) bc
WHERE bc.entity_key = f.ingest_key;
ALTER TABLE facilitator ENABLE TRIGGER USER;
ALTER TABLE prevention_activity DISABLE TRIGGER USER;
UPDATE prevention_activity pa SET created_by_batch = bc.batch_id
FROM (SELECT entity_key, max(batch_id) AS batch_id FROM batch_created WHERE entity = 'prevention_activity' GROUP BY 1) bc
WHERE bc.entity_key = pa.ingest_key;
ALTER TABLE prevention_activity ENABLE TRIGGER USER;
DELETE FROM batch_created WHERE entity <> 'village';

ALTER TABLE source_record DROP CONSTRAINT source_record_agency_code_fkey;

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION agency_without_assertions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- rare: a scan of the assertions is cheaper than an index every import pays
    -- for; the source records are found by their key, which begins with the agency
    IF EXISTS (SELECT 1 FROM assertion WHERE agency_code = OLD.code)
        OR EXISTS (SELECT 1 FROM source_record WHERE agency_code = OLD.code) THEN
        RAISE EXCEPTION 'agency % has sent records the hub keeps', OLD.code USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION agency_without_assertions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- rare: a scan of the assertions is cheaper than an index every import pays for
    IF EXISTS (SELECT 1 FROM assertion WHERE agency_code = OLD.code) THEN
        RAISE EXCEPTION 'agency % has sent records the hub keeps', OLD.code USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END
$$;
-- +goose StatementEnd
ALTER TABLE source_record ADD CONSTRAINT source_record_agency_code_fkey FOREIGN KEY (agency_code) REFERENCES agency (code);

INSERT INTO batch_created (batch_id, entity, entity_key)
SELECT created_by_batch, 'village_plan', village_code || ':' || fiscal_year FROM village_plan WHERE created_by_batch IS NOT NULL
UNION ALL
SELECT i.created_by_batch, 'plan_item', vp.village_code || ':' || vp.fiscal_year || ':' || i.position
FROM plan_item i JOIN village_plan vp ON vp.id = i.village_plan_id WHERE i.created_by_batch IS NOT NULL
UNION ALL
SELECT created_by_batch, 'budget_line', ingest_key FROM budget_line WHERE created_by_batch IS NOT NULL
UNION ALL
SELECT created_by_batch, 'facilitator', ingest_key FROM facilitator WHERE created_by_batch IS NOT NULL
UNION ALL
SELECT created_by_batch, 'prevention_activity', ingest_key FROM prevention_activity WHERE created_by_batch IS NOT NULL
ON CONFLICT DO NOTHING;

ALTER TABLE prevention_activity DROP COLUMN created_by_batch;
ALTER TABLE facilitator         DROP COLUMN created_by_batch;
ALTER TABLE budget_line         DROP COLUMN created_by_batch;
ALTER TABLE plan_item           DROP COLUMN created_by_batch;
ALTER TABLE village_plan        DROP COLUMN created_by_batch;
