// topics: topics with the number of tasks touching them (in one document, or in all: then read from each topic's count of relationships, without visiting the tasks).
// Parameters: $document_id (or null), $limit (most rows).
// Result columns: id, name, tasks (ordered by tasks desc, name, id).
MATCH (tp:Topic)
WITH tp, CASE
  WHEN $document_id IS NULL THEN COUNT { (tp)<-[:TOUCHES]-() }
  ELSE COUNT { (tp)<-[:TOUCHES]-(t:Task) WHERE t.document_id = $document_id }
END AS tasks
WHERE tasks > 0
RETURN tp.id AS id, tp.name AS name, tasks
ORDER BY tasks DESC, name, id
LIMIT $limit
