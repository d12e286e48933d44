-- +goose Up
CREATE TABLE budget_line (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    fiscal_year  smallint NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700),
    amount       numeric(16, 2) NOT NULL CHECK (amount >= 0),
    source       text NOT NULL CHECK (source IN ('AGENCY_CORE', 'INTEGRATED_FUNCTION', 'PROVINCIAL',
                     'LOCAL_GOVERNMENT', 'OTHER')),
    status       text NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'DISBURSED')),
    agency_code  text COLLATE "C" NOT NULL REFERENCES agency (code),
    plan_item_id bigint REFERENCES plan_item (id) ON DELETE CASCADE,
    program_code text COLLATE "C" REFERENCES program (code),
    -- where the money lands; for a plan item's line, the plan's village (set by trigger)
    area_code    text COLLATE "C" REFERENCES area (code),
    description  text CHECK (length(description) <= 2000),
    is_demo      boolean NOT NULL DEFAULT false,
    -- a line funds exactly one thing: a plan item or a program
    CHECK (num_nonnulls(plan_item_id, program_code) = 1)
);
CREATE INDEX budget_line_year_idx ON budget_line (fiscal_year, id);
CREATE INDEX budget_line_item_idx ON budget_line (plan_item_id);
CREATE INDEX budget_line_program_idx ON budget_line (program_code, fiscal_year);
CREATE INDEX budget_line_agency_idx ON budget_line (agency_code, fiscal_year);
CREATE INDEX budget_line_area_idx ON budget_line (area_code, fiscal_year);

-- +goose StatementBegin
CREATE FUNCTION budget_line_set_area() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.plan_item_id IS NOT NULL THEN
        SELECT vp.village_code INTO NEW.area_code
        FROM plan_item pi JOIN village_plan vp ON vp.id = pi.village_plan_id
        WHERE pi.id = NEW.plan_item_id;
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER budget_line_set_area BEFORE INSERT OR UPDATE OF plan_item_id, area_code ON budget_line
    FOR EACH ROW EXECUTE FUNCTION budget_line_set_area();

-- +goose Down
DROP TABLE budget_line;
DROP FUNCTION budget_line_set_area();
