-- Operations registered by an admin: sent by their sha256 as automatic persisted
-- queries by anyone, and the only ones a role in allow-list mode may run.

-- +goose Up
CREATE TABLE registered_operation (
    sha256        text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    name          text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    query         text NOT NULL,
    registered_by text NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE role_rule ADD COLUMN registered_only boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE role_rule DROP COLUMN registered_only;
DROP TABLE registered_operation;
