// load_document_owners: for each task of these (stored) documents, the agencies responsible for
// any of its measures — read before a document is replaced, to take its share out of CO_RESPONSIBLE.
// Parameters: $ids (list of document ids).
// Result columns: task, owners (agency ids).
CYPHER replan=skip
UNWIND $ids AS did
MATCH (t:Task {document_id: did})-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(a:Agency)
RETURN t.id AS task, collect(DISTINCT a.id) AS owners
