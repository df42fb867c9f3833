// partners_stored: agencies sharing at least one task with an agency — both responsible, any role, for some measure of the task (at level measure: for the same measure) — read from the CO_RESPONSIBLE relationships the loader keeps (tasks; at level measure, measure_tasks), each with the tasks of lowest id.
// Parameters: $agency_id, $include_generic (generic agencies count as partners), $level ('task' or 'measure'), $nested (most tasks listed for a partner), $limit (most rows).
// Result columns: agency (map: id, name, jurisdiction, generic), shared_tasks, tasks (list of maps: id, number, title, document_id; the $nested of lowest id) (ordered by shared_tasks desc, agency id).
MATCH (:Agency {id: $agency_id})-[r:CO_RESPONSIBLE]-(p:Agency)
WHERE ($include_generic OR NOT p.generic) AND ($level = 'task' OR r.measure_weight > 0)
WITH p, CASE $level WHEN 'measure' THEN r.measure_tasks ELSE r.tasks END AS ids
RETURN p {.id, .name, .jurisdiction, .generic} AS agency, size(ids) AS shared_tasks,
       COLLECT {
         UNWIND ids[..$nested] AS id
         MATCH (t:Task {id: id})
         RETURN t {.id, .number, .title, .document_id}
       } AS tasks
ORDER BY shared_tasks DESC, agency.id
LIMIT $limit
