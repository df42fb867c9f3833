// document_refs: the documents as references, for the closest titles a 404 suggests.
// Parameters: $limit (most rows).
// Result columns: id, title, year, jurisdiction (ordered by jurisdiction, title, id).
MATCH (d:Document)
RETURN d.id AS id, d.title AS title, d.year AS year, d.jurisdiction AS jurisdiction
ORDER BY jurisdiction, title, id
LIMIT $limit
