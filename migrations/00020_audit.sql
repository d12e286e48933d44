-- The audit trail: every mutation and import, and every query of the roles whose
-- reads are audited, as evidence. Append-only in the database itself (updates,
-- deletes and truncation refused; only pruning past the retention, by the prune
-- function, removes the oldest entries), and a hash chain: each entry's hash covers
-- its content and the previous entry's hash, so that an entry altered, removed or
-- inserted out of place breaks the chain (audit_verify finds where).

-- +goose Up
CREATE TABLE audit_entry (
    seq            bigint PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    request_id     text,
    subject        text,
    agency_code    text,
    role           text,
    kind           text NOT NULL CHECK (kind IN ('query', 'mutation', 'subscription', 'import', 'upload')),
    phase          text NOT NULL CHECK (phase IN ('begin', 'end')),
    operation_name text,
    query_hash     text,
    variables      jsonb,
    outcome        text CHECK (outcome IN ('ok', 'error', 'refused')),
    error_codes    text[],
    duration_ms    double precision,
    client_addr    text,
    prev_hash      text NOT NULL,
    hash           text NOT NULL
);
CREATE INDEX audit_entry_at_idx ON audit_entry (at);
CREATE INDEX audit_entry_agency_idx ON audit_entry (agency_code, at);
CREATE INDEX audit_entry_subject_idx ON audit_entry (subject, at);
CREATE INDEX audit_entry_operation_idx ON audit_entry (operation_name, at);

-- Where the chain starts after pruning: the hash of the last entry pruned.
CREATE TABLE audit_anchor (
    pruned_through bigint PRIMARY KEY,
    last_hash      text NOT NULL,
    pruned_at      timestamptz NOT NULL DEFAULT now(),
    pruned_by      text NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION audit_entry_hash(e audit_entry) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(e.prev_hash || '|' || jsonb_build_object(
        'seq', e.seq, 'at_us', (extract(epoch FROM e.at) * 1000000)::bigint, 'request_id', e.request_id,
        'subject', e.subject, 'agency_code', e.agency_code, 'role', e.role, 'kind', e.kind, 'phase', e.phase,
        'operation_name', e.operation_name, 'query_hash', e.query_hash, 'variables', e.variables,
        'outcome', e.outcome, 'error_codes', e.error_codes, 'duration_ms', e.duration_ms,
        'client_addr', e.client_addr)::text, 'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_entry_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last audit_entry;
BEGIN
    -- entries are chained one at a time, in the order they commit
    PERFORM pg_advisory_xact_lock(hashtext('prasan.audit'));
    SELECT * INTO last FROM audit_entry ORDER BY seq DESC LIMIT 1;
    IF FOUND THEN
        NEW.seq := last.seq + 1;
        NEW.prev_hash := last.hash;
    ELSE
        SELECT pruned_through + 1, last_hash INTO NEW.seq, NEW.prev_hash FROM audit_anchor ORDER BY pruned_through DESC LIMIT 1;
        NEW.seq := coalesce(NEW.seq, 1);
        NEW.prev_hash := coalesce(NEW.prev_hash, '');
    END IF;
    NEW.at := clock_timestamp();
    NEW.hash := audit_entry_hash(NEW);
    RETURN NEW;
END
$$;

CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('prasan.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Removes the entries older than before (the oldest end of the chain only), and
-- anchors the chain at the last one removed. Returns how many went.
CREATE FUNCTION audit_prune(before timestamptz, by_whom text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    through audit_entry;
    n bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('prasan.audit'));
    SELECT * INTO through FROM audit_entry WHERE at < before ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    PERFORM set_config('prasan.audit_prune', 'on', true);
    DELETE FROM audit_entry WHERE seq <= through.seq;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('prasan.audit_prune', 'off', true);
    INSERT INTO audit_anchor (pruned_through, last_hash, pruned_by) VALUES (through.seq, through.hash, by_whom);
    RETURN n;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_chain();
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_anchor FOR EACH STATEMENT EXECUTE FUNCTION access_change_append_only();

-- +goose Down
DROP TABLE audit_anchor;
DROP FUNCTION audit_prune(timestamptz, text);
DROP TRIGGER audit_entry_no_truncate ON audit_entry;
DROP TRIGGER audit_entry_no_delete ON audit_entry;
DROP TRIGGER audit_entry_no_update ON audit_entry;
DROP TRIGGER audit_entry_chain ON audit_entry;
DROP FUNCTION audit_entry_append_only();
DROP FUNCTION audit_entry_chain();
DROP FUNCTION audit_entry_hash(audit_entry);
DROP TABLE audit_entry;
