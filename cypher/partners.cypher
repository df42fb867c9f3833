// partners: agencies sharing at least one task with an agency — both responsible, any role, for some measure of the task (at level measure: for the same measure).
// Parameters: $agency_id, $include_generic (generic agencies count as partners), $level ('task' or 'measure'), $limit (most rows).
// Result columns: agency (map: id, name, jurisdiction, generic), shared_tasks, tasks (list of maps: id, number, title, document_id) (ordered by shared_tasks desc, agency id).
MATCH (a:Agency {id: $agency_id})-[:RESPONSIBLE_FOR]->(mine:Measure)<-[:HAS_MEASURE]-(t:Task)
MATCH (t)-[:HAS_MEASURE]->(theirs:Measure)<-[:RESPONSIBLE_FOR]-(p:Agency)
WHERE p <> a AND ($include_generic OR NOT p.generic) AND ($level = 'task' OR theirs = mine)
WITH p, collect(DISTINCT t {.id, .number, .title, .document_id}) AS tasks
RETURN p {.id, .name, .jurisdiction, .generic} AS agency, size(tasks) AS shared_tasks, tasks
ORDER BY shared_tasks DESC, agency.id
LIMIT $limit
