// load_nodes_agency: upsert one batch of Agency nodes by id (shared by documents); properties replaced.
// Parameters: $rows (list of {id, props}).
// Result columns: nodes (nodes written), rels (relationships written: none).
UNWIND $rows AS row
MERGE (n:Agency {id: row.id})
SET n = row.props
RETURN count(n) AS nodes, 0 AS rels
