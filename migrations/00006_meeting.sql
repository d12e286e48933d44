-- +goose Up
CREATE TABLE meeting (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title             text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    held_at           timestamptz NOT NULL,
    chair_name        text CHECK (length(chair_name) <= 500),
    chair_position    text CHECK (length(chair_position) <= 500),
    chair_agency_code text COLLATE "C" REFERENCES agency (code),
    format            text NOT NULL CHECK (format IN ('IN_PERSON', 'VIDEO_CONFERENCE', 'HYBRID')),
    venue             text CHECK (length(venue) <= 500),
    program_code      text COLLATE "C" REFERENCES program (code),
    summary           text CHECK (length(summary) <= 10000),
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX meeting_held_at_idx ON meeting (held_at DESC, id DESC);
CREATE INDEX meeting_program_idx ON meeting (program_code, held_at DESC);

CREATE TABLE meeting_agency (
    meeting_id  bigint NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    agency_code text COLLATE "C" NOT NULL REFERENCES agency (code),
    PRIMARY KEY (meeting_id, agency_code)
);
CREATE INDEX meeting_agency_agency_idx ON meeting_agency (agency_code);

CREATE TABLE agenda_item (
    meeting_id bigint NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    position   smallint NOT NULL CHECK (position >= 1),
    title      text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    summary    text CHECK (length(summary) <= 10000),
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE action_item (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id        bigint NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    position          smallint NOT NULL CHECK (position >= 1),
    title             text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 500),
    owner_agency_code text COLLATE "C" REFERENCES agency (code),
    due_on            date,
    status            text NOT NULL CHECK (status IN ('OPEN', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (meeting_id, position)
);
CREATE INDEX action_item_status_due_idx ON action_item (status, due_on, id);
CREATE INDEX action_item_due_idx ON action_item (due_on, id);
CREATE INDEX action_item_owner_idx ON action_item (owner_agency_code);

-- +goose Down
DROP TABLE action_item;
DROP TABLE agenda_item;
DROP TABLE meeting_agency;
DROP TABLE meeting;
