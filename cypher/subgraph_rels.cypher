// subgraph_rels: the graph model's relationships among a set of nodes (the induced subgraph's edges).
// Parameters: $ids (node ids), $rel_types (the graph model's relationship types), $limit (most rows).
// Result columns: start, end (node ids), type, props (the relationship's properties) (ordered by start, end, type).
UNWIND $ids AS id
MATCH (x:Document|Project|Section|Task|Measure|Agency|Goal|Topic {id: id})-[r]->(y)
WHERE type(r) IN $rel_types AND y.id IN $ids
RETURN x.id AS start, y.id AS end, type(r) AS type, properties(r) AS props
ORDER BY start, end, type
LIMIT $limit
