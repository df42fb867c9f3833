// agency_tasks: the tasks one agency is responsible for, with its role and list position on each of its measures there.
// Parameters: $agency_id, $limit (most rows).
// Result columns: task (map: id, number, title, document_id), measures (list of maps: measure_id, measure_number, role, position) (ordered by document id, task number).
MATCH (:Agency {id: $agency_id})-[r:RESPONSIBLE_FOR]->(m:Measure)<-[:HAS_MEASURE]-(t:Task)
WITH t, collect({measure_id: m.id, measure_number: m.number, role: r.role, position: r.position}) AS measures
RETURN t {.id, .number, .title, .document_id} AS task, measures
ORDER BY task.document_id, task.number, task.id
LIMIT $limit
