// load_rels_sets: create one batch of (Measure)-[:SETS]->(Goal) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Measure {id: row.start})
MATCH (e:Goal {id: row.end})
CREATE (s)-[r:SETS]->(e)
SET r = row.props
RETURN count(r) AS count
