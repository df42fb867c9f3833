// document_lookup: the documents a typed reference can mean — by id, by the id of earlier versions (doc-<hash>), or by exact title.
// Parameters: $ref (the reference as typed), $title (it folded, as titles are stored), $limit (most rows).
// Result columns: id, title, year, jurisdiction (ordered by id).
CALL () {
  MATCH (d:Document {id: $ref}) RETURN d
  UNION
  MATCH (d:Document {legacy_id: $ref}) RETURN d
  UNION
  MATCH (d:Document {title: $title}) RETURN d
}
RETURN d.id AS id, d.title AS title, d.year AS year, d.jurisdiction AS jurisdiction
ORDER BY id
LIMIT $limit
