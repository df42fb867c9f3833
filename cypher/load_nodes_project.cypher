// load_nodes_project: upsert one batch of Project nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: count (nodes written).
UNWIND $rows AS row
MERGE (n:Project {id: row.id})
SET n = row.props
RETURN count(n) AS count
