-- Reading as of a past instant finds the versions it needs by key, not by scanning.
--
-- A plan read as of an instant rebuilt every plan's, item's and line's version in
-- force then, and filtered afterwards: 9 s for one village page on the national
-- data set. The versions of the rows a read asks for (plans by village, items by
-- plan, lines by item, rows by id) are now found through these indexes first.
-- The index on every version's id replaces the one on current versions only (the
-- triggers find current versions through it too).

-- +goose Up
DROP INDEX village_plan_version_id_idx;
DROP INDEX plan_item_version_id_idx;
DROP INDEX facilitator_version_id_idx;
DROP INDEX budget_line_version_id_idx;
CREATE INDEX village_plan_version_id_idx ON village_plan_version (id);
CREATE INDEX plan_item_version_id_idx ON plan_item_version (id);
CREATE INDEX facilitator_version_id_idx ON facilitator_version (id);
CREATE INDEX budget_line_version_id_idx ON budget_line_version (id);
CREATE INDEX village_plan_version_village_idx ON village_plan_version ((row->>'village_code'));
CREATE INDEX plan_item_version_plan_idx ON plan_item_version (((row->>'village_plan_id')::bigint));
CREATE INDEX facilitator_version_plan_idx ON facilitator_version (((row->>'village_plan_id')::bigint));
CREATE INDEX budget_line_version_item_idx ON budget_line_version (((row->>'plan_item_id')::bigint));
-- statistics on the indexed expressions, without which the planner guesses
ANALYZE village_plan_version;
ANALYZE plan_item_version;
ANALYZE facilitator_version;
ANALYZE budget_line_version;

-- +goose Down
DROP INDEX budget_line_version_item_idx;
DROP INDEX facilitator_version_plan_idx;
DROP INDEX plan_item_version_plan_idx;
DROP INDEX village_plan_version_village_idx;
DROP INDEX village_plan_version_id_idx;
DROP INDEX plan_item_version_id_idx;
DROP INDEX facilitator_version_id_idx;
DROP INDEX budget_line_version_id_idx;
CREATE INDEX village_plan_version_id_idx ON village_plan_version (id) WHERE upper_inf(valid);
CREATE INDEX plan_item_version_id_idx    ON plan_item_version (id) WHERE upper_inf(valid);
CREATE INDEX facilitator_version_id_idx  ON facilitator_version (id) WHERE upper_inf(valid);
CREATE INDEX budget_line_version_id_idx  ON budget_line_version (id) WHERE upper_inf(valid);
