-- The fields on which agencies assert different values, kept by the writes.
--
-- The conflicts query found them by grouping every assertion by object and field
-- and counting distinct values: after a national import (1.1 million assertions)
-- a province's conflicts page and its count took 1.5 s and 1.35 s, with nothing
-- in disagreement. The ingestion now keeps this table for the objects each batch,
-- undo or village file changes (internal/postgres/disagreement.go), and the
-- conflicts query reads it by scope.

-- +goose Up
CREATE TABLE disagreement (
    entity text COLLATE "C" NOT NULL,
    entity_key text COLLATE "C" NOT NULL,
    field text COLLATE "C" NOT NULL,
    -- the area of the object (its village, usually), as its assertions carry it
    area_code text COLLATE "C",
    PRIMARY KEY (entity, entity_key, field)
);
CREATE INDEX disagreement_area_idx ON disagreement (area_code);
INSERT INTO disagreement (entity, entity_key, field, area_code)
SELECT entity, entity_key, field, min(area_code) FROM assertion GROUP BY 1, 2, 3 HAVING count(DISTINCT value) > 1;

-- +goose Down
DROP TABLE disagreement;
