// network_edges_stored: the co-responsibility network of every document at level task, read from the CO_RESPONSIBLE relationships the loader keeps — what network_edges finds by walking the corpus, in one look at each pair.
// Parameters: $include_generic (keep generic agencies), $min_weight (least shared tasks), $nested (most task ids an edge lists, or null for all), $limit (most rows).
// Result columns: source (the lower agency id), target, weight, tasks (ids of the shared tasks, sorted; the first $nested) (ordered by weight desc, source, target).
MATCH (a:Agency)-[r:CO_RESPONSIBLE]->(b:Agency)
WHERE r.weight >= $min_weight AND ($include_generic OR NOT (a.generic OR b.generic))
RETURN a.id AS source, b.id AS target, r.weight AS weight,
       CASE WHEN $nested IS NULL THEN r.tasks ELSE r.tasks[..$nested] END AS tasks
ORDER BY weight DESC, source, target
LIMIT $limit
