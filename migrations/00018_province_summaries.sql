-- Coarser summaries for national dashboards: budget totals by province, and the
-- villages (and subdistricts with villages) of each district, recomputed from the
-- finer summaries for the provinces and districts a write touched.

-- +goose Up
CREATE TABLE budget_total_province (
    fiscal_year smallint NOT NULL,
    area_code   text COLLATE "C" NOT NULL, -- the province ('' for a line of no area)
    source      text NOT NULL,
    status      text NOT NULL,
    agency_code text COLLATE "C" NOT NULL,
    amount      numeric NOT NULL,
    lines       bigint NOT NULL,
    PRIMARY KEY (fiscal_year, area_code, source, status, agency_code)
);
CREATE TABLE village_count_district (
    area_code    text COLLATE "C" PRIMARY KEY, -- the district
    villages     bigint NOT NULL,
    subdistricts bigint NOT NULL -- subdistricts with at least one village
);

-- +goose StatementBegin
CREATE FUNCTION budget_total_province_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the provinces of the years this statement touched, recomputed from budget_total
    -- (whose rows are never removed, only brought to zero)
    IF TG_OP = 'INSERT' THEN
        INSERT INTO budget_total_province AS x
        SELECT b.fiscal_year, left(b.area_code, 2), b.source, b.status, b.agency_code, sum(b.amount), sum(b.lines)
        FROM budget_total b
        JOIN (SELECT DISTINCT fiscal_year, coalesce(left(area_code, 2), '') AS area_code FROM new_rows) t ON t.fiscal_year = b.fiscal_year
            AND ((t.area_code = '' AND b.area_code = '') OR (t.area_code <> '' AND b.area_code >= t.area_code AND b.area_code < t.area_code || ':'))
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (fiscal_year, area_code, source, status, agency_code) DO UPDATE SET amount = EXCLUDED.amount, lines = EXCLUDED.lines;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO budget_total_province AS x
        SELECT b.fiscal_year, left(b.area_code, 2), b.source, b.status, b.agency_code, sum(b.amount), sum(b.lines)
        FROM budget_total b
        JOIN (SELECT DISTINCT fiscal_year, coalesce(left(area_code, 2), '') AS area_code FROM old_rows) t ON t.fiscal_year = b.fiscal_year
            AND ((t.area_code = '' AND b.area_code = '') OR (t.area_code <> '' AND b.area_code >= t.area_code AND b.area_code < t.area_code || ':'))
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (fiscal_year, area_code, source, status, agency_code) DO UPDATE SET amount = EXCLUDED.amount, lines = EXCLUDED.lines;
    ELSE
        INSERT INTO budget_total_province AS x
        SELECT b.fiscal_year, left(b.area_code, 2), b.source, b.status, b.agency_code, sum(b.amount), sum(b.lines)
        FROM budget_total b
        JOIN (SELECT DISTINCT fiscal_year, coalesce(left(area_code, 2), '') AS area_code FROM new_rows UNION SELECT DISTINCT fiscal_year, coalesce(left(area_code, 2), '') AS area_code FROM old_rows) t ON t.fiscal_year = b.fiscal_year
            AND ((t.area_code = '' AND b.area_code = '') OR (t.area_code <> '' AND b.area_code >= t.area_code AND b.area_code < t.area_code || ':'))
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (fiscal_year, area_code, source, status, agency_code) DO UPDATE SET amount = EXCLUDED.amount, lines = EXCLUDED.lines;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION village_count_district_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO village_count_district AS d (area_code, villages, subdistricts)
        SELECT left(vc.area_code, 4), sum(vc.villages), count(*) FILTER (WHERE vc.villages > 0)
        FROM village_count vc
        WHERE left(vc.area_code, 4) IN (SELECT left(parent_code, 4) FROM new_rows WHERE level = 'VILLAGE')
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (area_code) DO UPDATE SET villages = EXCLUDED.villages, subdistricts = EXCLUDED.subdistricts;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO village_count_district AS d (area_code, villages, subdistricts)
        SELECT left(vc.area_code, 4), sum(vc.villages), count(*) FILTER (WHERE vc.villages > 0)
        FROM village_count vc
        WHERE left(vc.area_code, 4) IN (SELECT left(parent_code, 4) FROM old_rows WHERE level = 'VILLAGE')
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (area_code) DO UPDATE SET villages = EXCLUDED.villages, subdistricts = EXCLUDED.subdistricts;
    ELSE
        INSERT INTO village_count_district AS d (area_code, villages, subdistricts)
        SELECT left(vc.area_code, 4), sum(vc.villages), count(*) FILTER (WHERE vc.villages > 0)
        FROM village_count vc
        WHERE left(vc.area_code, 4) IN (SELECT left(parent_code, 4) FROM new_rows WHERE level = 'VILLAGE' UNION SELECT left(parent_code, 4) FROM old_rows WHERE level = 'VILLAGE')
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (area_code) DO UPDATE SET villages = EXCLUDED.villages, subdistricts = EXCLUDED.subdistricts;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- after the finer summaries' triggers (triggers of one event fire in name order)
CREATE TRIGGER village_count_x_district_ins AFTER INSERT ON area REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION village_count_district_apply();
CREATE TRIGGER village_count_x_district_upd AFTER UPDATE ON area REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION village_count_district_apply();
CREATE TRIGGER village_count_x_district_del AFTER DELETE ON area REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION village_count_district_apply();
CREATE TRIGGER budget_total_x_province_ins AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_province_apply();
CREATE TRIGGER budget_total_x_province_upd AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_province_apply();
CREATE TRIGGER budget_total_x_province_del AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_province_apply();

INSERT INTO budget_total_province SELECT fiscal_year, left(area_code, 2), source, status, agency_code, sum(amount), sum(lines)
    FROM budget_total GROUP BY 1, 2, 3, 4, 5;
INSERT INTO village_count_district SELECT left(area_code, 4), sum(villages), count(*) FILTER (WHERE villages > 0) FROM village_count GROUP BY 1;

-- +goose Down
DROP TRIGGER village_count_x_district_del ON area;
DROP TRIGGER village_count_x_district_upd ON area;
DROP TRIGGER village_count_x_district_ins ON area;
DROP TRIGGER budget_total_x_province_del ON budget_line;
DROP TRIGGER budget_total_x_province_upd ON budget_line;
DROP TRIGGER budget_total_x_province_ins ON budget_line;
DROP FUNCTION village_count_district_apply();
DROP FUNCTION budget_total_province_apply();
DROP TABLE village_count_district;
DROP TABLE budget_total_province;
