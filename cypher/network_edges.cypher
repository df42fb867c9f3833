// network_edges: pairs of agencies sharing tasks (both responsible, any role, for some measure of each), weighted by the number of tasks; at level measure, sharing measures (clauses), weighted by their number.
// Parameters: $document_ids (the documents in scope, or null for every document), $include_generic (keep generic agencies), $min_weight (least shared units), $level ('task' or 'measure'), $limit (most rows).
// Result columns: source (the lower agency id), target, weight, tasks (ids of the shared tasks, or measures at level measure) (ordered by weight desc, source, target).
MATCH (t:Task)-[:HAS_MEASURE]->(m:Measure)<-[:RESPONSIBLE_FOR]-(a:Agency)
WHERE ($document_ids IS NULL OR t.document_id IN $document_ids) AND ($include_generic OR NOT a.generic)
WITH CASE $level WHEN 'measure' THEN m.id ELSE t.id END AS unit, collect(DISTINCT a.id) AS owners
UNWIND owners AS source
UNWIND owners AS target
WITH source, target, unit
WHERE source < target
WITH source, target, collect(unit) AS tasks
WHERE size(tasks) >= $min_weight
RETURN source, target, size(tasks) AS weight, tasks
ORDER BY weight DESC, source, target
LIMIT $limit
