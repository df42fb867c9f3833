// shared_tasks: the tasks two agencies are both responsible for, with the roles each has on the task's measures.
// Parameters: $agency_id, $other_id, $limit (most rows).
// Result columns: task (map: id, number, title, document_id), agency_roles, other_roles (lists of lead/co) (ordered by document id, task number).
MATCH (:Agency {id: $agency_id})-[ra:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t:Task)
WITH t, collect(ra.role) AS agency_roles
MATCH (:Agency {id: $other_id})-[rb:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t)
WITH t, agency_roles, collect(rb.role) AS other_roles
RETURN t {.id, .number, .title, .document_id} AS task, agency_roles, other_roles
ORDER BY task.document_id, task.number, task.id
LIMIT $limit
