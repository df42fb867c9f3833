// stats_all_nodes: every node with its labels and properties (two databases compared whole).
// Parameters: none.
// Result columns: labels, props.
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props
