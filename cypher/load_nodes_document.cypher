// load_nodes_document: upsert one batch of Document nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: nodes (nodes written), rels (relationships written: none).
CYPHER replan=skip
UNWIND $rows AS row
MERGE (n:Document {id: row.id})
SET n = row.props
RETURN count(n) AS nodes, 0 AS rels
