// topic_names: the names of every topic, to resolve the topic a user typed.
// Parameters: $limit (most rows).
// Result columns: name (ordered by name).
MATCH (tp:Topic)
RETURN tp.name AS name
ORDER BY name
LIMIT $limit
