// load_rels_touches: create one batch of (Task)-[:TOUCHES]->(Topic) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Task {id: row.start})
MATCH (e:Topic {id: row.end})
CREATE (s)-[r:TOUCHES]->(e)
SET r = row.props
RETURN count(r) AS count
