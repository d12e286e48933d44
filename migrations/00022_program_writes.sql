-- ONCB writes its action plans, measures and programs (and a region, programs
-- targeting villages in its areas): the resource "program" of the role rules.

-- +goose Up
ALTER TABLE role_rule DROP CONSTRAINT role_rule_writes_check;
ALTER TABLE role_rule ADD CONSTRAINT role_rule_writes_check
    CHECK (writes <@ ARRAY['plan', 'meeting', 'village', 'budget', 'own_budget', 'facilitator', 'activity', 'program']::text[]);
UPDATE role_rule SET writes = writes || '{program}' WHERE role IN ('admin', 'oncb', 'oncb_region');

-- +goose Down
UPDATE role_rule SET writes = array_remove(writes, 'program');
ALTER TABLE role_rule DROP CONSTRAINT role_rule_writes_check;
ALTER TABLE role_rule ADD CONSTRAINT role_rule_writes_check
    CHECK (writes <@ ARRAY['plan', 'meeting', 'village', 'budget', 'own_budget', 'facilitator', 'activity']::text[]);
