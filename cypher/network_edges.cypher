// network_edges: pairs of agencies sharing tasks (both responsible, any role, for some measure of each), weighted by the number of tasks.
// Parameters: $document_id (or null for every document), $include_generic (keep generic agencies), $min_weight (least shared tasks), $limit (most rows).
// Result columns: source (the lower agency id), target, weight, tasks (ids of the shared tasks) (ordered by weight desc, source, target).
MATCH (t:Task)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(a:Agency)
WHERE ($document_id IS NULL OR t.document_id = $document_id) AND ($include_generic OR NOT a.generic)
WITH t, collect(DISTINCT a.id) AS owners
UNWIND owners AS source
UNWIND owners AS target
WITH source, target, t
WHERE source < target
WITH source, target, collect(t.id) AS tasks
WHERE size(tasks) >= $min_weight
RETURN source, target, size(tasks) AS weight, tasks
ORDER BY weight DESC, source, target
LIMIT $limit
