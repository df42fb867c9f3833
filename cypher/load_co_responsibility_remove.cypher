// load_co_responsibility_remove: take tasks out of the materialised CO_RESPONSIBLE relationships
// (a replaced document's share); a relationship left with no task is deleted.
// Parameters: $pairs (list of {a, b, tasks}: agency ids with a < b, and task ids).
// Result columns: count (relationships deleted).
CYPHER replan=skip
UNWIND $pairs AS pair
MATCH (:Agency {id: pair.a})-[r:CO_RESPONSIBLE]->(:Agency {id: pair.b})
SET r.tasks = [t IN r.tasks WHERE NOT t IN pair.tasks]
SET r.weight = size(r.tasks)
WITH r WHERE r.weight = 0
DELETE r
RETURN count(*) AS count
