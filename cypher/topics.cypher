// topics: topics with the number of tasks touching them (in one document, or in all).
// Parameters: $document_id (or null), $limit (most rows).
// Result columns: id, name, tasks (ordered by tasks desc, name, id).
MATCH (t:Task)-[:TOUCHES]->(tp:Topic)
WHERE $document_id IS NULL OR t.document_id = $document_id
WITH tp, count(DISTINCT t) AS tasks
RETURN tp.id AS id, tp.name AS name, tasks
ORDER BY tasks DESC, name, id
LIMIT $limit
