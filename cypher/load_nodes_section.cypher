// load_nodes_section: upsert one batch of Section nodes by id; properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: count (nodes written).
UNWIND $rows AS row
MERGE (n:Section {id: row.id})
SET n = row.props
RETURN count(n) AS count
