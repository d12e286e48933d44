-- Plan status changes are announced on the channel prasan_plan_status (LISTEN /
-- NOTIFY), in the writing transaction: every replica hears every change, once it
-- is committed, whichever replica made it.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION notify_plan_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('prasan_plan_status', json_build_object('village', n.village_code, 'fiscalYear', n.fiscal_year,
            'status', n.status, 'previous', NULL, 'at', now())::text)
        FROM new_rows n;
    ELSE
        PERFORM pg_notify('prasan_plan_status', json_build_object('village', n.village_code, 'fiscalYear', n.fiscal_year,
            'status', n.status, 'previous', o.status, 'at', now())::text)
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE o.status IS DISTINCT FROM n.status;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER notify_plan_status_ins AFTER INSERT ON village_plan REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_plan_status();
CREATE TRIGGER notify_plan_status_upd AFTER UPDATE ON village_plan REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_plan_status();

-- +goose Down
DROP TRIGGER notify_plan_status_upd ON village_plan;
DROP TRIGGER notify_plan_status_ins ON village_plan;
DROP FUNCTION notify_plan_status();
