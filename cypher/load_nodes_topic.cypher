// load_nodes_topic: upsert one batch of Topic nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: count (nodes written).
UNWIND $rows AS row
MERGE (n:Topic {id: row.id})
SET n = row.props
RETURN count(n) AS count
