-- Lists and totals read as of an instant for one area rebuild only that area's
-- versions: plans by village code and budget lines by area code, indexed in the C
-- collation so that an area's codes are one range (as on the tables themselves).
-- The plans' index replaces the one of migration 00027 (same column, other
-- collation; equality on codes is the same in both).

-- +goose Up
DROP INDEX village_plan_version_village_idx;
CREATE INDEX village_plan_version_village_idx ON village_plan_version (((row->>'village_code') COLLATE "C"));
CREATE INDEX budget_line_version_area_idx ON budget_line_version (((row->>'area_code') COLLATE "C"));
ANALYZE village_plan_version;
ANALYZE budget_line_version;

-- +goose Down
DROP INDEX budget_line_version_area_idx;
DROP INDEX village_plan_version_village_idx;
CREATE INDEX village_plan_version_village_idx ON village_plan_version ((row->>'village_code'));
