// load_nodes_task: upsert one batch of Task nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: count (nodes written).
UNWIND $rows AS row
MERGE (n:Task {id: row.id})
SET n = row.props
RETURN count(n) AS count
