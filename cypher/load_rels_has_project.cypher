// load_rels_has_project: create one batch of (Document)-[:HAS_PROJECT]->(Project) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Document {id: row.start})
MATCH (e:Project {id: row.end})
CREATE (s)-[r:HAS_PROJECT]->(e)
SET r = row.props
RETURN count(r) AS count
