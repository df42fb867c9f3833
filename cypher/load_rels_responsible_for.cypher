// load_rels_responsible_for: create one batch of (Agency)-[:RESPONSIBLE_FOR]->(Measure) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Agency {id: row.start})
MATCH (e:Measure {id: row.end})
CREATE (s)-[r:RESPONSIBLE_FOR]->(e)
SET r = row.props
RETURN count(r) AS count
