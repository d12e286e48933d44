-- A first assertion's arrival is written into the history only when it is needed.
--
-- Every value an agency sent for the first time was written twice: as its
-- assertion and as a history row (no old value, the new one, the batch, who, when)
-- that says the same. For a first import that is one history row per field of
-- every record: about an eighth of the time of a national file of plan items.
-- Now an assertion says whether the history holds its arrival (in_history); a new
-- one does not, and the history reads its arrival from the assertion itself. The
-- arrival is written into the history, as it was, before anything else happens to
-- the value — when the agency changes it, or when its batch is undone — so that
-- the history of each value stays in order there (internal/postgres/history.go).

-- +goose Up
-- the assertions there are have their arrival in the history
ALTER TABLE assertion ADD COLUMN in_history boolean NOT NULL DEFAULT true;
ALTER TABLE assertion ALTER COLUMN in_history SET DEFAULT false;

-- +goose Down
INSERT INTO assertion_history (entity, entity_key, area_code, field, agency_code, old_value, new_value, batch_id, subject, changed_at)
SELECT entity, entity_key, area_code, field, agency_code, NULL, value, batch_id, subject, asserted_at FROM assertion WHERE NOT in_history;
ALTER TABLE assertion DROP COLUMN in_history;
