package postgres

// An agency's value for a field has a history: its arrival, then each change (by
// a later record of the agency, or by an undo). A value's arrival is written into
// assertion_history only when something else happens to it (migration 00032):
// until then the assertion itself (in_history false) is the arrival, and reads of
// the history take it from there (changesOf).

// recordArrivals is a statement writing into the history the arrivals it does not
// hold yet of the assertions (a) that from (a FROM clause, or nothing) and where
// select — to run before the statements that change them or write their history,
// so that each value's history keeps its order.
func recordArrivals(from, where string) string {
	return `WITH arrived AS (
			UPDATE assertion a SET in_history = true ` + from + ` WHERE NOT a.in_history AND ` + where + `
			RETURNING a.entity, a.entity_key, a.area_code, a.field, a.agency_code, a.value, a.batch_id, a.subject, a.asserted_at)
		INSERT INTO assertion_history (entity, entity_key, area_code, field, agency_code, old_value, new_value, batch_id, subject, changed_at)
		SELECT entity, entity_key, area_code, field, agency_code, NULL, value, batch_id, subject, asserted_at FROM arrived`
}

// changesOf is every change of the agencies' values, as rows of assertion_history
// (with id; an arrival not written there yet has none, and is a value's first):
// what reads of the history select from.
const changesOf = `(SELECT h.id, h.entity, h.entity_key, h.area_code, h.field, h.agency_code, h.old_value, h.new_value,
		h.batch_id, h.subject, h.changed_at
	FROM assertion_history h
	UNION ALL
	SELECT NULL, a.entity, a.entity_key, a.area_code, a.field, a.agency_code, NULL, a.value, a.batch_id, a.subject, a.asserted_at
	FROM assertion a WHERE NOT a.in_history)`
