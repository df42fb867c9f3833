// load_nodes_measure: upsert one batch of Measure nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: count (nodes written).
UNWIND $rows AS row
MERGE (n:Measure {id: row.id})
SET n = row.props
RETURN count(n) AS count
