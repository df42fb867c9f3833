// load_nodes_task_in_section: create one batch of Task nodes, each with the HAS_TASK from its stored Section and its
// TOUCHES to stored Topics (one index seek for the parent, one a topic).
// Parameters: $rows (list of {parent, props, links}: the Section's id, the task's properties, and links, a list of
// {other, props}: a Topic's id and the TOUCHES relationship's properties).
// Result columns: nodes (nodes created), rels (relationships created).
CYPHER replan=skip
UNWIND $rows AS row
MATCH (parent:Section {id: row.parent})
CREATE (parent)-[:HAS_TASK]->(n:Task)
SET n = row.props
WITH n, row
CALL (n, row) {
  UNWIND row.links AS link
  MATCH (topic:Topic {id: link.other})
  CREATE (n)-[r:TOUCHES]->(topic)
  SET r = link.props
  RETURN count(r) AS linked
}
RETURN count(n) AS nodes, count(n) + sum(linked) AS rels
