// stats_all_relationships: every relationship with its type, the ids of its ends and its properties.
// Parameters: none.
// Result columns: type, start, end, props.
MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props
