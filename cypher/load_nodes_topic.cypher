// load_nodes_topic: upsert one batch of Topic nodes by id (shared by documents); properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: nodes (nodes written), rels (relationships written: none).
CYPHER replan=skip
UNWIND $rows AS row
MERGE (n:Topic {id: row.id})
SET n = row.props
RETURN count(n) AS nodes, 0 AS rels
