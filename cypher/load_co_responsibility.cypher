// load_co_responsibility: build the materialised CO_RESPONSIBLE relationships of these
// agencies (run load_co_responsibility_clear first) — one per pair of agencies sharing at
// least one task, directed from the lower id to the higher, with weight (number of shared
// tasks) and tasks (their ids, sorted). Browser users explore the network through it.
// Parameters: $agency_ids (agencies whose edges to build).
// Result columns: count (relationships written).
UNWIND $agency_ids AS aid
MATCH (a:Agency {id: aid})-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t:Task)
// A second MATCH, not a longer pattern: one pattern may not use a relationship twice,
// and two owners of the same measure reach it through the same HAS_MEASURE.
MATCH (t)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(b:Agency)
WHERE a <> b
WITH a, b, t ORDER BY t.id
WITH a, b, collect(DISTINCT t.id) AS tasks
WITH CASE WHEN a.id < b.id THEN a ELSE b END AS x, CASE WHEN a.id < b.id THEN b ELSE a END AS y, tasks
MERGE (x)-[r:CO_RESPONSIBLE]->(y)
SET r.weight = size(tasks), r.tasks = tasks
RETURN count(r) AS count
