// search_plan_text: tasks and measures whose text matches a full-text query (CJK analyzer).
// Parameters: $text (Lucene query, e.g. 大模型), $limit.
// Result columns: id, label, score.
CALL db.index.fulltext.queryNodes('plan_text', $text) YIELD node, score
RETURN node.id AS id, labels(node)[0] AS label, score
ORDER BY score DESC, id
LIMIT $limit
