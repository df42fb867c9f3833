// load_rels_has_section: create one batch of (Project)-[:HAS_SECTION]->(Section) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Project {id: row.start})
MATCH (e:Section {id: row.end})
CREATE (s)-[r:HAS_SECTION]->(e)
SET r = row.props
RETURN count(r) AS count
