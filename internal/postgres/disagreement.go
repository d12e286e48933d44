package postgres

// The disagreements — fields of objects on which agencies assert different
// values — are kept in their own table (migration 00038) by every statement
// sequence that writes assertions: a batch of records, a village file or batch,
// an undo. Each refreshes the objects it may have changed the disagreement of,
// from their assertions.

// refreshDisagreements are the statements that make the disagreements of the
// objects of kind entity (SQL text) whose keys keysSQL selects what their
// assertions say now.
func refreshDisagreements(entity, keysSQL string) []string {
	return append(keyTable("disagreement_key", keysSQL),
		`DELETE FROM disagreement d USING disagreement_key k WHERE d.entity = `+entity+` AND d.entity_key = k.entity_key`,
		`INSERT INTO disagreement (entity, entity_key, field, area_code)
			SELECT a.entity, a.entity_key, a.field, min(a.area_code)
			FROM disagreement_key k JOIN assertion a ON a.entity = `+entity+` AND a.entity_key = k.entity_key
			GROUP BY 1, 2, 3 HAVING count(DISTINCT a.value) > 1`)
}

// disputedFacts selects the keys of the facts (a facts table of a batch: key
// column key, field) that another agency than @agency asserts too: the only ones
// whose disagreement the batch's assertions can change.
func disputedFacts(entity, facts, key string) string {
	return `SELECT f.` + key + ` FROM ` + facts + ` f
		JOIN assertion a ON a.entity = ` + entity + ` AND a.entity_key = f.` + key + ` AND a.field = f.field AND a.agency_code <> @agency`
}
