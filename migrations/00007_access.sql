-- Access rules are data, not code: what each role reads and writes, and what each
-- agency is granted, changed by an admin through the API without a redeploy. Every
-- change is recorded in access_change, which refuses updates and deletes.

-- +goose Up
CREATE TABLE role_rule (
    role          text PRIMARY KEY CHECK (role IN ('admin', 'oncb', 'oncb_region', 'moi', 'province', 'pidthong', 'partner', 'viewer')),
    -- ALL: every area; GRANTED: only the areas and programs granted to the caller
    reads         text NOT NULL CHECK (reads IN ('ALL', 'GRANTED')),
    -- whether the role sees personal data (names and phone numbers)
    personal_data boolean NOT NULL,
    -- what the role writes: everywhere it reads
    writes        text[] NOT NULL DEFAULT '{}' CHECK (writes <@ ARRAY['plan', 'meeting']::text[]),
    version       bigint NOT NULL DEFAULT 1,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL DEFAULT 'migration'
);
INSERT INTO role_rule (role, reads, personal_data, writes) VALUES
    ('admin',       'ALL',     true,  '{plan,meeting}'),
    ('oncb',        'ALL',     true,  '{meeting}'),
    ('oncb_region', 'GRANTED', true,  '{meeting}'),
    ('moi',         'ALL',     true,  '{plan}'),
    ('province',    'GRANTED', true,  '{plan,meeting}'),
    ('pidthong',    'GRANTED', true,  '{}'),
    ('partner',     'GRANTED', false, '{}'),
    ('viewer',      'ALL',     false, '{}');

-- What an agency's callers may see, besides what their tokens say. A caller holds
-- the union of its agency's grants; a grant with a purpose applies only to requests
-- stating that purpose.
CREATE TABLE access_grant (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_code   text COLLATE "C" NOT NULL REFERENCES agency (code),
    area_codes    text[] NOT NULL DEFAULT '{}'
                  CHECK (array_to_string(area_codes, ',') ~ '^(([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{8})(,|$))*$'),
    program_codes text[] NOT NULL DEFAULT '{}',
    personal_data boolean NOT NULL DEFAULT false,
    purpose       text CHECK (purpose ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    granted_at    timestamptz NOT NULL DEFAULT now(),
    granted_by    text NOT NULL,
    revoked_at    timestamptz,
    revoked_by    text,
    CHECK (cardinality(area_codes) + cardinality(program_codes) > 0 OR personal_data),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX access_grant_agency_idx ON access_grant (agency_code) WHERE revoked_at IS NULL;

-- The trail of access changes: who changed what, from what, to what, and why.
CREATE TABLE access_change (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL,
    action     text NOT NULL,
    target     text NOT NULL,
    before     jsonb,
    after      jsonb,
    reason     text NOT NULL CHECK (btrim(reason) <> '')
);
CREATE INDEX access_change_at_idx ON access_change (changed_at DESC, id DESC);

-- +goose StatementBegin
CREATE FUNCTION access_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_change is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER access_change_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON access_change
    FOR EACH STATEMENT EXECUTE FUNCTION access_change_append_only();

-- +goose Down
DROP TABLE access_change;
DROP FUNCTION access_change_append_only();
DROP TABLE access_grant;
DROP TABLE role_rule;
