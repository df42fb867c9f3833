// topic_lookup: whether a topic of this name exists (an indexed lookup, whatever the corpus size).
// Parameters: $name (folded), $limit (most rows).
// Result columns: name.
MATCH (tp:Topic {name: $name})
RETURN tp.name AS name
LIMIT $limit
