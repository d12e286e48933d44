-- A budget line of a plan item is in its item's village: the area its writer
-- names is checked once a statement, set-based, instead of looked up row by row.
--
-- budget_line_set_area (migration 00005) looked the item's village up for every
-- line written, in PL/pgSQL: 2.8 s of a national file of 370,086 lines, beside
-- the three foreign keys' own look-ups. Now, for inserts, the row trigger runs
-- only for a line whose writer names no area, and a statement trigger refuses an
-- insert that leaves any line in an area other than its item's village — the same
-- rule, enforced where it was silently applied before. The import names the area
-- itself (the village is in the line's key). An update of a line's item or area
-- still takes the item's village, row by row, as before (rare, and transition
-- tables cannot be limited to those columns).

-- +goose Up
DROP TRIGGER budget_line_set_area ON budget_line;
CREATE TRIGGER budget_line_set_area BEFORE INSERT ON budget_line FOR EACH ROW
    WHEN (NEW.plan_item_id IS NOT NULL AND NEW.area_code IS NULL)
    EXECUTE FUNCTION budget_line_set_area();
CREATE TRIGGER budget_line_set_area_moved BEFORE UPDATE OF plan_item_id, area_code ON budget_line FOR EACH ROW
    EXECUTE FUNCTION budget_line_set_area();

-- +goose StatementBegin
CREATE FUNCTION budget_line_area_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.id, n.area_code, vp.village_code INTO bad
    FROM new_rows n JOIN plan_item pi ON pi.id = n.plan_item_id JOIN village_plan vp ON vp.id = pi.village_plan_id
    WHERE n.area_code IS DISTINCT FROM vp.village_code
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'budget line %: area % is not its plan item''s village %', bad.id, coalesce(bad.area_code, '(none)'), bad.village_code
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER budget_line_area_check_ins AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION budget_line_area_check();

-- +goose Down
DROP TRIGGER budget_line_area_check_ins ON budget_line;
DROP FUNCTION budget_line_area_check();
DROP TRIGGER budget_line_set_area_moved ON budget_line;
DROP TRIGGER budget_line_set_area ON budget_line;
CREATE TRIGGER budget_line_set_area BEFORE INSERT OR UPDATE OF plan_item_id, area_code ON budget_line
    FOR EACH ROW EXECUTE FUNCTION budget_line_set_area();
