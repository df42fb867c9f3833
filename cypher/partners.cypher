// partners: agencies sharing at least one task with an agency — both responsible, any role, for some measure of the task.
// Parameters: $agency_id, $include_generic (generic agencies count as partners), $limit (most rows).
// Result columns: agency (map: id, name, jurisdiction, generic), shared_tasks, tasks (list of maps: id, number, title, document_id) (ordered by shared_tasks desc, agency id).
MATCH (a:Agency {id: $agency_id})-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t:Task)
MATCH (t)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(p:Agency)
WHERE p <> a AND ($include_generic OR NOT p.generic)
WITH p, collect(DISTINCT t {.id, .number, .title, .document_id}) AS tasks
RETURN p {.id, .name, .jurisdiction, .generic} AS agency, size(tasks) AS shared_tasks, tasks
ORDER BY shared_tasks DESC, agency.id
LIMIT $limit
