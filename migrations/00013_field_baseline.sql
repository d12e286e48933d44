-- What an object's field held before any agency asserted a value for it (entered
-- through the API or by hand): shown after every assertion, so that undoing the
-- only batch that spoke of a field brings its old value back.

-- +goose Up
CREATE TABLE field_baseline (
    entity      text NOT NULL,
    entity_key  text NOT NULL,
    field       text NOT NULL,
    value       jsonb NOT NULL,
    captured_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity, entity_key, field)
);

-- +goose Down
DROP TABLE field_baseline;
