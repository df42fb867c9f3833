// load_rels_project_has_task: create one batch of (Project)-[:HAS_TASK]->(Task) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Project {id: row.start})
MATCH (e:Task {id: row.end})
CREATE (s)-[r:HAS_TASK]->(e)
SET r = row.props
RETURN count(r) AS count
