// load_nodes_measure: create one batch of Measure nodes, each with the HAS_MEASURE from its stored Task and the
// RESPONSIBLE_FOR of the stored Agencies that own it (one index seek for the parent, one an agency).
// Parameters: $rows (list of {parent, props, links}: the Task's id, the measure's properties, and links, a list
// of {other, props}: an Agency's id and the RESPONSIBLE_FOR relationship's properties).
// Result columns: nodes (nodes created), rels (relationships created).
CYPHER replan=skip
UNWIND $rows AS row
MATCH (parent:Task {id: row.parent})
CREATE (parent)-[:HAS_MEASURE]->(n:Measure)
SET n = row.props
WITH n, row
CALL (n, row) {
  UNWIND row.links AS link
  MATCH (agency:Agency {id: link.other})
  CREATE (agency)-[r:RESPONSIBLE_FOR]->(n)
  SET r = link.props
  RETURN count(r) AS linked
}
RETURN count(n) AS nodes, count(n) + sum(linked) AS rels
