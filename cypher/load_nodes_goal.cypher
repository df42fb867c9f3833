// load_nodes_goal: upsert one batch of Goal nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: count (nodes written).
UNWIND $rows AS row
MERGE (n:Goal {id: row.id})
SET n = row.props
RETURN count(n) AS count
