// load_co_responsibility_add: add tasks to the materialised CO_RESPONSIBLE relationships — one per
// pair of agencies sharing at least one task, from the lower id to the higher, with weight (number
// of shared tasks) and tasks (their ids, sorted). Browser users explore the network through it.
// Parameters: $pairs (list of {a, b, tasks}: agency ids with a < b, one row per pair, and task ids).
// Result columns: count (relationships written).
CYPHER replan=skip
UNWIND $pairs AS pair
MATCH (x:Agency {id: pair.a})
MATCH (y:Agency {id: pair.b})
MERGE (x)-[r:CO_RESPONSIBLE]->(y)
WITH r, coalesce(r.tasks, []) + pair.tasks AS merged
CALL (merged) {
  UNWIND merged AS t
  WITH DISTINCT t ORDER BY t
  RETURN collect(t) AS tasks
}
SET r.tasks = tasks, r.weight = size(tasks)
RETURN count(r) AS count
