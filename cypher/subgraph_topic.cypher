// subgraph_topic: the nodes of a topic's subgraph — the topic, the tasks touching it, their measures and goals, and the agencies responsible for those measures.
// Parameters: $topic (its name), $labels (the graph model's node labels), $limit (most rows).
// Result columns: id, label, props (the node's properties; an agency's kept counts left out) (ordered by id).
CALL () {
  MATCH (n:Topic {name: $topic}) RETURN n
  UNION
  MATCH (n:Task)-[:TOUCHES]->(:Topic {name: $topic}) RETURN n
  UNION
  MATCH (:Topic {name: $topic})<-[:TOUCHES]-(:Task)-[:HAS_MEASURE]->(n:Measure) RETURN n
  UNION
  MATCH (:Topic {name: $topic})<-[:TOUCHES]-(:Task)-[:HAS_MEASURE]->(:Measure)-[:SETS]->(n:Goal) RETURN n
  UNION
  MATCH (:Topic {name: $topic})<-[:TOUCHES]-(:Task)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(n:Agency) RETURN n
}
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label, n {.*, count_tasks_led: null, count_tasks_supported: null, count_measures: null, count_goals: null}
       AS props
ORDER BY id
LIMIT $limit
