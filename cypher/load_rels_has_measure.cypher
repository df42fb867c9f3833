// load_rels_has_measure: create one batch of (Task)-[:HAS_MEASURE]->(Measure) relationships between stored nodes.
// Parameters: $rows (list of {start, end, props}; start and end are node ids).
// Result columns: count (relationships created).
UNWIND $rows AS row
MATCH (s:Task {id: row.start})
MATCH (e:Measure {id: row.end})
CREATE (s)-[r:HAS_MEASURE]->(e)
SET r = row.props
RETURN count(r) AS count
