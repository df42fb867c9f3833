// load_nodes_goal: create one batch of Goal nodes, each with the SETS from its stored Measure.
// Parameters: $rows (list of {parent, props}: the Measure's id and the goal's properties).
// Result columns: nodes (nodes created), rels (relationships created).
CYPHER replan=skip
UNWIND $rows AS row
MATCH (parent:Measure {id: row.parent})
CREATE (parent)-[:SETS]->(n:Goal)
SET n = row.props
RETURN count(n) AS nodes, count(n) AS rels
