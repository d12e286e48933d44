-- Each plan's budget total, kept by the writes like the other summaries (00017,
-- 00029): a page of fifty villages with their plans' totals summed some 375 budget
-- lines through 250 items on every request. A line counts toward the plan of its
-- item; lines of programs count toward none.
--
-- Each statement on budget_line adds its lines' amounts to their items' plans (and
-- subtracts the old ones). An item's lines leave with the item: deleting an item
-- takes its lines off its plan's total before the item goes (the lines then
-- cascade, and a line whose item is gone is no longer counted by the statement
-- trigger); moving an item to another plan moves its lines' total with it. A plan's
-- total goes with the plan.

-- +goose Up
CREATE TABLE plan_budget_total (
    village_plan_id bigint PRIMARY KEY REFERENCES village_plan (id) ON DELETE CASCADE,
    amount          numeric NOT NULL,
    lines           bigint NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION plan_budget_total_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO plan_budget_total AS t SELECT pi.village_plan_id, sum(d.amount), count(*)
        FROM new_rows d JOIN plan_item pi ON pi.id = d.plan_item_id JOIN village_plan vp ON vp.id = pi.village_plan_id GROUP BY 1 ORDER BY 1
        ON CONFLICT (village_plan_id) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO plan_budget_total AS t SELECT pi.village_plan_id, -sum(d.amount), -count(*)
        FROM old_rows d JOIN plan_item pi ON pi.id = d.plan_item_id JOIN village_plan vp ON vp.id = pi.village_plan_id GROUP BY 1 ORDER BY 1
        ON CONFLICT (village_plan_id) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    ELSE
        INSERT INTO plan_budget_total AS t SELECT pi.village_plan_id, sum(d.amount), sum(d.lines) FROM (
            SELECT plan_item_id, amount, 1 AS lines FROM new_rows
            UNION ALL SELECT plan_item_id, -amount, -1 FROM old_rows) d
        JOIN plan_item pi ON pi.id = d.plan_item_id JOIN village_plan vp ON vp.id = pi.village_plan_id
        GROUP BY 1 ORDER BY 1
        ON CONFLICT (village_plan_id) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    END IF;
    RETURN NULL;
END
$$;

-- an item deleted: its lines leave its plan's total (before they cascade)
CREATE FUNCTION plan_budget_total_item_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE plan_budget_total t SET amount = t.amount - l.amount, lines = t.lines - l.lines
    FROM (SELECT coalesce(sum(amount), 0) AS amount, count(*) AS lines FROM budget_line WHERE plan_item_id = OLD.id) l
    WHERE t.village_plan_id = OLD.village_plan_id AND l.lines > 0
        -- not when the item goes with its plan (the total goes too)
        AND EXISTS (SELECT 1 FROM village_plan vp WHERE vp.id = OLD.village_plan_id);
    RETURN OLD;
END
$$;

-- an item moved to another plan: its lines' total moves with it
CREATE FUNCTION plan_budget_total_item_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO plan_budget_total AS t
    SELECT p.id, p.sign * l.amount, p.sign * l.lines
    FROM (SELECT coalesce(sum(amount), 0) AS amount, count(*) AS lines FROM budget_line WHERE plan_item_id = NEW.id) l,
        (VALUES (OLD.village_plan_id, -1), (NEW.village_plan_id, 1)) AS p(id, sign)
    WHERE l.lines > 0 AND EXISTS (SELECT 1 FROM village_plan vp WHERE vp.id = p.id)
    ORDER BY 1
    ON CONFLICT (village_plan_id) DO UPDATE SET amount = t.amount + EXCLUDED.amount, lines = t.lines + EXCLUDED.lines;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER plan_budget_total_ins AFTER INSERT ON budget_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_budget_total_apply();
CREATE TRIGGER plan_budget_total_upd AFTER UPDATE ON budget_line REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_budget_total_apply();
CREATE TRIGGER plan_budget_total_del AFTER DELETE ON budget_line REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_budget_total_apply();
CREATE TRIGGER plan_budget_total_item_gone BEFORE DELETE ON plan_item FOR EACH ROW EXECUTE FUNCTION plan_budget_total_item_gone();
CREATE TRIGGER plan_budget_total_item_moved AFTER UPDATE OF village_plan_id ON plan_item FOR EACH ROW
    WHEN (OLD.village_plan_id IS DISTINCT FROM NEW.village_plan_id) EXECUTE FUNCTION plan_budget_total_item_moved();

-- what is there already
INSERT INTO plan_budget_total SELECT pi.village_plan_id, sum(bl.amount), count(*)
    FROM budget_line bl JOIN plan_item pi ON pi.id = bl.plan_item_id GROUP BY 1;

-- +goose Down
DROP TRIGGER plan_budget_total_item_moved ON plan_item;
DROP TRIGGER plan_budget_total_item_gone ON plan_item;
DROP TRIGGER plan_budget_total_del ON budget_line;
DROP TRIGGER plan_budget_total_upd ON budget_line;
DROP TRIGGER plan_budget_total_ins ON budget_line;
DROP FUNCTION plan_budget_total_item_moved();
DROP FUNCTION plan_budget_total_item_gone();
DROP FUNCTION plan_budget_total_apply();
DROP TABLE plan_budget_total;
