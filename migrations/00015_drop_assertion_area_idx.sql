-- The index on assertions by area served no read (conflicts group every assertion;
-- provenance and history go by key) and slowed large imports: every assertion
-- written paid for it.

-- +goose Up
DROP INDEX assertion_area_idx;

-- +goose Down
CREATE INDEX assertion_area_idx ON assertion (area_code, entity, entity_key);
