// load_document_owners: every measure of these (stored) documents with its task and its owners — read before a document is replaced, to take its share out of CO_RESPONSIBLE (graph_loader.coresponsibility.pair_rows makes the share from them, as from a plan).
// Parameters: $ids (list of document ids).
// Result columns: task (task id), measure (measure id), owners (list of [agency id, role], one per responsibility).
CYPHER replan=skip
UNWIND $ids AS did
MATCH (m:Measure {document_id: did})<-[r:RESPONSIBLE_FOR]-(a:Agency)
RETURN m.task_id AS task, m.id AS measure, collect([a.id, r.role]) AS owners
