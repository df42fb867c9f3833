// document_responsibilities: who is responsible for each measure of a document, what network measures are computed from.
// Parameters: $document_id, $include_generic (keep generic agencies).
// Result columns: agency_id, name, role, position, measure_id, task_id (ordered by task number, measure number, position).
MATCH (t:Task {document_id: $document_id})-[:HAS_MEASURE]->(m:Measure)<-[r:RESPONSIBLE_FOR]-(a:Agency)
WHERE $include_generic OR NOT a.generic
RETURN a.id AS agency_id, a.name AS name, r.role AS role, r.position AS position, m.id AS measure_id,
       t.id AS task_id
ORDER BY t.number, m.number, position
