-- Budget totals for the whole country, kept by the writes like the others
-- (00017): the national dashboard asked budget_total_province to sum some two
-- thousand rows a year into four hundred on every request. Each statement on
-- budget_line adds its lines' amounts (and subtracts the old ones) by fiscal year,
-- source, status and agency.

-- +goose Up
CREATE TABLE budget_total_country (
    fiscal_year smallint NOT NULL,
    source      text NOT NULL,
    status      text NOT NULL,
    agency_code text COLLATE "C" NOT NULL,
    amount      numeric NOT NULL,
    lines       bigint NOT NULL,
    PRIMARY KEY (fiscal_year, source, status, agency_code)
);

-- +goose StatementBegin
CREATE FUNCTION budget_total_country_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO budget_total_country AS t SELECT fiscal_year, source, status, agency_code, sum(amount), count(*)
        FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (fiscal_year, source, status, agency_code) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO budget_total_country AS t SELECT fiscal_year, source, status, agency_code, -sum(amount), -count(*)
        FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (fiscal_year, source, status, agency_code) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    ELSE
        INSERT INTO budget_total_country AS t SELECT fiscal_year, source, status, agency_code, sum(amount), sum(lines) FROM (
            SELECT fiscal_year, source, status, agency_code, amount, 1 AS lines FROM new_rows
            UNION ALL SELECT fiscal_year, source, status, agency_code, -amount, -1 FROM old_rows) d
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (fiscal_year, source, status, agency_code) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER budget_total_country_ins AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_country_apply();
CREATE TRIGGER budget_total_country_upd AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_country_apply();
CREATE TRIGGER budget_total_country_del AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_country_apply();

-- what is there already
INSERT INTO budget_total_country SELECT fiscal_year, source, status, agency_code, sum(amount), count(*) FROM budget_line GROUP BY 1, 2, 3, 4;

-- +goose Down
DROP TRIGGER budget_total_country_del ON budget_line;
DROP TRIGGER budget_total_country_upd ON budget_line;
DROP TRIGGER budget_total_country_ins ON budget_line;
DROP FUNCTION budget_total_country_apply();
DROP TABLE budget_total_country;
