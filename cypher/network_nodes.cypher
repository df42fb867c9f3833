// network_nodes: the agencies of the co-responsibility network — every agency responsible for a measure in scope.
// Parameters: $document_ids (the documents in scope, or null for every document), $include_generic (keep generic agencies), $limit (most rows).
// Result columns: id, name, jurisdiction, kind, generic (ordered by id).
MATCH (a:Agency)
WHERE ($include_generic OR NOT a.generic)
  AND EXISTS { MATCH (a)-[:RESPONSIBLE_FOR]->(m:Measure) WHERE $document_ids IS NULL OR m.document_id IN $document_ids }
RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.kind AS kind, a.generic AS generic
ORDER BY id
LIMIT $limit
