// load_nodes_project: create one batch of Project nodes, each with the HAS_PROJECT from its stored Document
// (one index seek a row: the parent's). The document's old version is deleted in the same transaction.
// Parameters: $rows (list of {parent, props}: the Document's id and the project's properties).
// Result columns: nodes (nodes created), rels (relationships created).
CYPHER replan=skip
UNWIND $rows AS row
MATCH (parent:Document {id: row.parent})
CREATE (parent)-[:HAS_PROJECT]->(n:Project)
SET n = row.props
RETURN count(n) AS nodes, count(n) AS rels
