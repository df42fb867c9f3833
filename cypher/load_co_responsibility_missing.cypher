// load_co_responsibility_missing: CO_RESPONSIBLE relationships of a graph loaded before they kept the clause-level and lead → supporting shares (no measure_weight), a batch at a time, each with the measures both agencies are responsible for — what graph_loader.coresponsibility.pair_rows makes those shares from.
// Parameters: $limit (most pairs).
// Result columns: a, b (agency ids, a < b), clauses (list of maps: task, measure, owners (list of [agency id, role] of the two agencies' responsibilities for the measure)).
MATCH (x:Agency)-[r:CO_RESPONSIBLE]->(y:Agency)
WHERE r.measure_weight IS NULL
WITH x, y LIMIT $limit
OPTIONAL MATCH (x)-[rx:RESPONSIBLE_FOR]->(m:Measure)<-[ry:RESPONSIBLE_FOR]-(y)
WITH x, y, m, collect(DISTINCT [x.id, rx.role]) + collect(DISTINCT [y.id, ry.role]) AS owners
RETURN x.id AS a, y.id AS b,
       collect(CASE WHEN m IS NOT NULL THEN {task: m.task_id, measure: m.id, owners: owners} END) AS clauses
