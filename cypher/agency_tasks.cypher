// agency_tasks: the tasks one agency is responsible for — how many, and the page asked for with its role and list position on each of its measures there.
// Parameters: $agency_id, $limit (most tasks counted), $skip, $take (the page: tasks skipped, then taken, of those counted).
// Result columns: one row — found (tasks counted, at most $limit), page (list of maps: task (map: id, number, title, document_id), measures (list of maps: measure_id, measure_number, role, position)) (tasks counted by document id, task number).
MATCH (:Agency {id: $agency_id})-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t:Task)
WITH DISTINCT t ORDER BY t.document_id, t.number, t.id LIMIT $limit
WITH collect(t) AS found
CALL (found) {
  UNWIND found[$skip..($skip + $take)] AS t
  RETURN collect({
    task: t {.id, .number, .title, .document_id},
    measures: [(:Agency {id: $agency_id})-[r:RESPONSIBLE_FOR]->(m:Measure)<-[:HAS_MEASURE]-(t) |
      {measure_id: m.id, measure_number: m.number, role: r.role, position: r.position}]
  }) AS page
}
RETURN size(found) AS found, page
