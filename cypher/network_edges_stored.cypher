// network_edges_stored: the co-responsibility network of every document, read from the CO_RESPONSIBLE relationships the loader keeps — what network_edges finds by walking the corpus, in one look at each pair: at level task the shared tasks (tasks, weight), at level measure the shared measures, clauses (measures, measure_weight).
// Parameters: $level ('task' or 'measure'), $include_generic (keep generic agencies), $min_weight (least shared units), $nested (most ids an edge lists, or null for all), $limit (most rows).
// Result columns: source (the lower agency id), target, weight, tasks (ids of the shared tasks, or measures at level measure, sorted; the first $nested) (ordered by weight desc, source, target).
MATCH (a:Agency)-[r:CO_RESPONSIBLE]->(b:Agency)
WITH a, b, r, CASE $level WHEN 'measure' THEN r.measure_weight ELSE r.weight END AS weight
WHERE weight > 0 AND weight >= $min_weight AND ($include_generic OR NOT (a.generic OR b.generic))
WITH a, b, weight, CASE $level WHEN 'measure' THEN r.measures ELSE r.tasks END AS units
RETURN a.id AS source, b.id AS target, weight,
       CASE WHEN $nested IS NULL THEN units ELSE units[..$nested] END AS tasks
ORDER BY weight DESC, source, target
LIMIT $limit
