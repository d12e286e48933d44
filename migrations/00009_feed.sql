-- How often each agency is expected to send each kind of record, so that a dashboard
-- can show how far to trust each figure.

-- +goose Up
CREATE TABLE feed_schedule (
    agency_code    text COLLATE "C" NOT NULL REFERENCES agency (code),
    kind           text NOT NULL CHECK (kind IN ('village')),
    expected_every interval NOT NULL CHECK (expected_every >= interval '1 hour'),
    PRIMARY KEY (agency_code, kind)
);

-- +goose Down
DROP TABLE feed_schedule;
