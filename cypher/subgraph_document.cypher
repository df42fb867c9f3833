// subgraph_document: the nodes of a document's subgraph — the document, everything it owns, the agencies responsible for its measures and the topics its tasks touch.
// Parameters: $document_id, $labels (the graph model's node labels), $limit (most rows).
// Result columns: id, label, props (the node's properties; the loader's content_hash and an agency's kept counts left out) (ordered by id).
CALL () {
  MATCH (n:Document {id: $document_id}) RETURN n
  UNION
  MATCH (n:Project|Section|Task|Measure|Goal) WHERE n.document_id = $document_id RETURN n
  UNION
  MATCH (n:Agency)-[:RESPONSIBLE_FOR]->(m:Measure) WHERE m.document_id = $document_id RETURN n
  UNION
  MATCH (t:Task)-[:TOUCHES]->(n:Topic) WHERE t.document_id = $document_id RETURN n
}
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label, n {.*, content_hash: null, count_tasks_led: null, count_tasks_supported: null, count_measures: null,
         count_goals: null} AS props
ORDER BY id
LIMIT $limit
