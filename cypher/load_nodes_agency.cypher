// load_nodes_agency: upsert one batch of Agency nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: count (nodes written).
UNWIND $rows AS row
MERGE (n:Agency {id: row.id})
SET n = row.props
RETURN count(n) AS count
