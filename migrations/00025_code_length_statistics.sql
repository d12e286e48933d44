-- The level of an area is the length of its code, and most reads say so
-- (length(code) = 8 for villages). Without statistics on that expression the
-- planner guesses it selects 0.5 % of the rows rather than nine in ten, and a
-- generic plan (the pool keeps generic plans for reads) then prefers scanning the
-- small partial index of villages over looking the codes up by primary key.

-- +goose Up
CREATE STATISTICS area_code_length ON (length(code)) FROM area;
ANALYZE area;

-- +goose Down
DROP STATISTICS area_code_length;
