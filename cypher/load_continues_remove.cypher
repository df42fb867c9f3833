// load_continues_remove: delete the CONTINUES links going out of the tasks of some documents (they are made again).
// Parameters: $ids (document ids).
// Result columns: count (links deleted).
CYPHER replan=skip
UNWIND $ids AS id
MATCH (:Task {document_id: id})-[c:CONTINUES]->(:Task)
DELETE c
RETURN count(c) AS count
