// partners_stored: agencies sharing at least one task with an agency, read from the CO_RESPONSIBLE relationships the loader keeps (what partners finds at level task by walking the agency's tasks), each with the tasks of lowest id.
// Parameters: $agency_id, $include_generic (generic agencies count as partners), $nested (most tasks listed for a partner), $limit (most rows).
// Result columns: agency (map: id, name, jurisdiction, generic), shared_tasks, tasks (list of maps: id, number, title, document_id; the $nested of lowest id) (ordered by shared_tasks desc, agency id).
MATCH (:Agency {id: $agency_id})-[r:CO_RESPONSIBLE]-(p:Agency)
WHERE $include_generic OR NOT p.generic
RETURN p {.id, .name, .jurisdiction, .generic} AS agency, r.weight AS shared_tasks,
       COLLECT {
         UNWIND r.tasks[..$nested] AS id
         MATCH (t:Task {id: id})
         RETURN t {.id, .number, .title, .document_id}
       } AS tasks
ORDER BY shared_tasks DESC, agency.id
LIMIT $limit
