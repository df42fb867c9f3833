// load_co_responsibility_clear: drop the materialised CO_RESPONSIBLE relationships of these
// agencies before load_co_responsibility rebuilds them.
// Parameters: $agency_ids (agencies whose edges to drop).
// Result columns: count (relationships deleted).
UNWIND $agency_ids AS aid
MATCH (:Agency {id: aid})-[old:CO_RESPONSIBLE]-()
WITH DISTINCT old
DELETE old
RETURN count(*) AS count
