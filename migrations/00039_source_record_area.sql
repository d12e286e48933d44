-- A source record says the area its object lies in, as its assertions do.
--
-- The feeds count a scoped caller's records inside its areas: from the assertions
-- (by their area, distinct sourceIds), a scan of every assertion — 190–280 ms after
-- a national items file of 1.1 million assertions. The source records, one per
-- record and narrower, now carry the area themselves (written with them by the
-- ingestion). No index: a scope's count reads the table once, and an index would
-- cost every import a write per record.

-- +goose Up
ALTER TABLE source_record ADD COLUMN area_code text COLLATE "C";
UPDATE source_record sr SET area_code = a.area_code
FROM (SELECT DISTINCT ON (agency_code, entity, source_id) agency_code, entity, source_id, area_code FROM assertion
    ORDER BY agency_code, entity, source_id, asserted_at DESC) a
WHERE a.agency_code = sr.agency_code AND a.entity = sr.kind AND a.source_id = sr.source_id;

-- +goose Down
ALTER TABLE source_record DROP COLUMN area_code;
