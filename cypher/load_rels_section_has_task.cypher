// load_rels_section_has_task: create one batch of (Section)-[:HAS_TASK]->(Task) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Section {id: row.start})
MATCH (e:Task {id: row.end})
CREATE (s)-[r:HAS_TASK]->(e)
SET r = row.props
RETURN count(r) AS count
