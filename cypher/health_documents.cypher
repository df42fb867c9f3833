// health_documents: how many documents the database holds (the health check's one query).
// Parameters: none.
// Result columns: documents.
MATCH (d:Document)
RETURN count(d) AS documents
