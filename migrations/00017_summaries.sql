-- Summaries for dashboards over the whole country, kept by the writes themselves
-- (statement triggers, in the writing transaction), so that no reader ever sees
-- them stale: budget totals and plan counts by district, village counts by
-- subdistrict. The stores read them when a question is at district granularity or
-- coarser, and the base tables otherwise.

-- +goose Up
CREATE TABLE budget_total (
    fiscal_year smallint NOT NULL,
    -- the line's area cut to its district (a province's or a national line keeps
    -- its code or '')
    area_code   text COLLATE "C" NOT NULL,
    source      text NOT NULL,
    status      text NOT NULL,
    agency_code text COLLATE "C" NOT NULL,
    amount      numeric NOT NULL,
    lines       bigint NOT NULL,
    PRIMARY KEY (fiscal_year, area_code, source, status, agency_code)
);

CREATE TABLE plan_count (
    fiscal_year    smallint NOT NULL,
    area_code      text COLLATE "C" NOT NULL, -- the district
    status         text NOT NULL,
    plans          bigint NOT NULL,
    meeting_target bigint NOT NULL, -- completed with participation of at least 75 %
    PRIMARY KEY (fiscal_year, area_code, status)
);

CREATE TABLE village_count (
    area_code text COLLATE "C" PRIMARY KEY, -- the subdistrict
    villages  bigint NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION budget_total_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO budget_total AS t SELECT fiscal_year, area_code, source, status, agency_code, sum(amount), sum(lines) FROM (SELECT fiscal_year, coalesce(left(area_code, 4), '') AS area_code, source, status, agency_code, amount, 1 AS lines FROM new_rows) d GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (fiscal_year, area_code, source, status, agency_code) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO budget_total AS t SELECT fiscal_year, area_code, source, status, agency_code, sum(amount), sum(lines) FROM (SELECT fiscal_year, coalesce(left(area_code, 4), '') AS area_code, source, status, agency_code, -amount AS amount, -1 AS lines FROM old_rows) d GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (fiscal_year, area_code, source, status, agency_code) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    ELSE
        INSERT INTO budget_total AS t SELECT fiscal_year, area_code, source, status, agency_code, sum(amount), sum(lines) FROM (SELECT fiscal_year, coalesce(left(area_code, 4), '') AS area_code, source, status, agency_code, amount, 1 AS lines FROM new_rows UNION ALL SELECT fiscal_year, coalesce(left(area_code, 4), '') AS area_code, source, status, agency_code, -amount AS amount, -1 AS lines FROM old_rows) d
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (fiscal_year, area_code, source, status, agency_code) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION plan_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO plan_count AS t SELECT fiscal_year, area_code, status, sum(plans), sum(meeting_target) FROM (SELECT fiscal_year, left(village_code, 4) AS area_code, status, 1 AS plans, (status = 'COMPLETED' AND coalesce(participation_rate >= 75, false))::int AS meeting_target FROM new_rows) d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (fiscal_year, area_code, status) DO UPDATE SET plans = t.plans + EXCLUDED.plans, meeting_target = t.meeting_target + EXCLUDED.meeting_target;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO plan_count AS t SELECT fiscal_year, area_code, status, sum(plans), sum(meeting_target) FROM (SELECT fiscal_year, left(village_code, 4) AS area_code, status, -1 AS plans, -((status = 'COMPLETED' AND coalesce(participation_rate >= 75, false))::int) AS meeting_target FROM old_rows) d GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (fiscal_year, area_code, status) DO UPDATE SET plans = t.plans + EXCLUDED.plans, meeting_target = t.meeting_target + EXCLUDED.meeting_target;
    ELSE
        INSERT INTO plan_count AS t SELECT fiscal_year, area_code, status, sum(plans), sum(meeting_target) FROM (SELECT fiscal_year, left(village_code, 4) AS area_code, status, 1 AS plans, (status = 'COMPLETED' AND coalesce(participation_rate >= 75, false))::int AS meeting_target FROM new_rows UNION ALL SELECT fiscal_year, left(village_code, 4) AS area_code, status, -1 AS plans, -((status = 'COMPLETED' AND coalesce(participation_rate >= 75, false))::int) AS meeting_target FROM old_rows) d
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (fiscal_year, area_code, status) DO UPDATE SET plans = t.plans + EXCLUDED.plans, meeting_target = t.meeting_target + EXCLUDED.meeting_target;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION village_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO village_count AS t SELECT area_code, sum(n) FROM (SELECT parent_code AS area_code, (level = 'VILLAGE')::int AS n FROM new_rows WHERE level = 'VILLAGE') d GROUP BY 1 ORDER BY 1
        ON CONFLICT (area_code) DO UPDATE SET villages = t.villages + EXCLUDED.villages;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO village_count AS t SELECT area_code, sum(n) FROM (SELECT parent_code AS area_code, -((level = 'VILLAGE')::int) AS n FROM old_rows WHERE level = 'VILLAGE') d GROUP BY 1 ORDER BY 1
        ON CONFLICT (area_code) DO UPDATE SET villages = t.villages + EXCLUDED.villages;
    ELSE
        INSERT INTO village_count AS t SELECT area_code, sum(n) FROM (SELECT parent_code AS area_code, (level = 'VILLAGE')::int AS n FROM new_rows WHERE level = 'VILLAGE' UNION ALL SELECT parent_code AS area_code, -((level = 'VILLAGE')::int) AS n FROM old_rows WHERE level = 'VILLAGE') d
            GROUP BY 1 ORDER BY 1
        ON CONFLICT (area_code) DO UPDATE SET villages = t.villages + EXCLUDED.villages;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER budget_total_ins AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_apply();
CREATE TRIGGER budget_total_upd AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_apply();
CREATE TRIGGER budget_total_del AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_total_apply();
CREATE TRIGGER plan_count_ins AFTER INSERT ON village_plan REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_count_apply();
CREATE TRIGGER plan_count_upd AFTER UPDATE ON village_plan REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_count_apply();
CREATE TRIGGER plan_count_del AFTER DELETE ON village_plan REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_count_apply();
CREATE TRIGGER village_count_ins AFTER INSERT ON area REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION village_count_apply();
CREATE TRIGGER village_count_upd AFTER UPDATE ON area REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION village_count_apply();
CREATE TRIGGER village_count_del AFTER DELETE ON area REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION village_count_apply();

-- what is there already
INSERT INTO budget_total SELECT fiscal_year, coalesce(left(area_code, 4), ''), source, status, agency_code, sum(amount), count(*)
    FROM budget_line GROUP BY 1, 2, 3, 4, 5;
INSERT INTO plan_count SELECT fiscal_year, left(village_code, 4), status, count(*),
    count(*) FILTER (WHERE status = 'COMPLETED' AND participation_rate >= 75) FROM village_plan GROUP BY 1, 2, 3;
INSERT INTO village_count SELECT parent_code, count(*) FROM area WHERE level = 'VILLAGE' GROUP BY 1;

-- +goose Down
DROP TRIGGER village_count_del ON area;
DROP TRIGGER village_count_upd ON area;
DROP TRIGGER village_count_ins ON area;
DROP TRIGGER plan_count_del ON village_plan;
DROP TRIGGER plan_count_upd ON village_plan;
DROP TRIGGER plan_count_ins ON village_plan;
DROP TRIGGER budget_total_del ON budget_line;
DROP TRIGGER budget_total_upd ON budget_line;
DROP TRIGGER budget_total_ins ON budget_line;
DROP FUNCTION village_count_apply();
DROP FUNCTION plan_count_apply();
DROP FUNCTION budget_total_apply();
DROP TABLE village_count;
DROP TABLE plan_count;
DROP TABLE budget_total;
