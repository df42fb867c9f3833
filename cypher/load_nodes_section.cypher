// load_nodes_section: create one batch of Section nodes, each with the HAS_SECTION from its stored Project.
// Parameters: $rows (list of {parent, props}: the Project's id and the section's properties).
// Result columns: nodes (nodes created), rels (relationships created).
CYPHER replan=skip
UNWIND $rows AS row
MATCH (parent:Project {id: row.parent})
CREATE (parent)-[:HAS_SECTION]->(n:Section)
SET n = row.props
RETURN count(n) AS nodes, count(n) AS rels
