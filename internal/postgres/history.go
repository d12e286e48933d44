package postgres

// An agency's value for a field has a history: its arrival, then each change (by
// a later record of the agency, or by an undo). A value's arrival is written into
// assertion_history only when something else happens to it (migration 00032):
// until then the assertion itself (in_history false) is the arrival, and reads of
// the history take it from there (changesOf).

// assertionBefore are the columns of an agency's assertion (a) before a batch that
// its history needs: with the value (old_value), the facts tables of the batches
// (record_fact, village_fact) hold them for each fact the agency asserted.
const assertionBefore = `a.area_code AS old_area, a.batch_id AS old_batch, a.subject AS old_subject, a.asserted_at AS old_at,
	a.in_history AS old_in_history`

// historyOfChanges are the statements writing into the history what @batch
// changes of the values @agency asserts of entity (SQL text), given a facts table
// (facts) of the batch with assertionBefore, its key column and its area column:
// each value's arrival first, where the history does not hold it yet, then its
// change — two statements, so that the arrivals come first without sorting them
// all (740,172 rows of a national file). The statement changing the assertions
// sets in_history.
func historyOfChanges(entity, facts, key, area string) []string {
	const into = `INSERT INTO assertion_history (entity, entity_key, area_code, field, agency_code, old_value, new_value, batch_id, subject, changed_at) `
	return []string{
		into + `SELECT ` + entity + `, ` + key + `, old_area, field, @agency, NULL::jsonb, old_value, old_batch, old_subject, old_at
			FROM ` + facts + ` WHERE known AND NOT old_in_history`,
		into + `SELECT ` + entity + `, ` + key + `, ` + area + `, field, @agency, old_value, value, @batch, @subject, now()
			FROM ` + facts + ` WHERE known`,
	}
}

// batchArrivals writes into the history the arrivals it does not hold yet of the
// values @batch brought that nothing changed since (their assertions still name
// the batch) — what an undo of the batch runs first, so that it undoes them from
// the history like the others. (A batch's own changes write the arrivals they
// need with historyOfChanges.)
const batchArrivals = `WITH arrived AS (
		UPDATE assertion a SET in_history = true WHERE NOT a.in_history AND a.batch_id = @batch
		RETURNING a.entity, a.entity_key, a.area_code, a.field, a.agency_code, a.value, a.batch_id, a.subject, a.asserted_at)
	INSERT INTO assertion_history (entity, entity_key, area_code, field, agency_code, old_value, new_value, batch_id, subject, changed_at)
	SELECT entity, entity_key, area_code, field, agency_code, NULL, value, batch_id, subject, asserted_at FROM arrived`

// changesOf is every change of the values of the objects that objects (SQL
// selecting entity and key) names, as rows of assertion_history (with id; an
// arrival not written there yet has none, and is a value's first): what reads of
// the history select from. Each branch joins the objects to its table, so that
// both are read by their indexes: a filter on the union was not pushed into it,
// and the history of a village's ten items read all 1.1 million assertions of a
// national import (155 ms).
func changesOf(objects string) string {
	return `(SELECT h.id, h.entity, h.entity_key, h.area_code, h.field, h.agency_code, h.old_value, h.new_value,
		h.batch_id, h.subject, h.changed_at
	FROM ` + objects + ` AS o(entity, entity_key) JOIN assertion_history h ON h.entity = o.entity AND h.entity_key = o.entity_key
	UNION ALL
	SELECT NULL, a.entity, a.entity_key, a.area_code, a.field, a.agency_code, NULL, a.value, a.batch_id, a.subject, a.asserted_at
	FROM ` + objects + ` AS o(entity, entity_key) JOIN assertion a ON a.entity = o.entity AND a.entity_key = o.entity_key
	WHERE NOT a.in_history)`
}
