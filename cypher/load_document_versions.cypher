// load_document_versions: which of these documents are stored, and at which content hash.
// Parameters: $ids (list of document ids).
// Result columns: id, content_hash.
CYPHER replan=skip
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id AS id, d.content_hash AS content_hash
