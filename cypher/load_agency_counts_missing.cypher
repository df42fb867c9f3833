// load_agency_counts_missing: the counts of every agency that keeps none (loaded before agencies kept them), from all its responsibilities — what load_agency_counts_add and _remove keep from then on.
// Parameters: none.
// Result columns: count (agencies counted).
MATCH (a:Agency) WHERE a.count_tasks_led IS NULL
CALL (a) {
  OPTIONAL MATCH (a)-[r:RESPONSIBLE_FOR]->(m:Measure)
  WITH m.task_id AS task, collect(r.role) AS roles, collect(DISTINCT m) AS measures
  RETURN count(CASE WHEN 'lead' IN roles THEN task END) AS led,
         count(CASE WHEN NOT 'lead' IN roles THEN task END) AS supported,
         sum(size(measures)) AS measure_count,
         sum(reduce(n = 0, m IN measures | n + COUNT { (m)-[:SETS]->(:Goal) })) AS goal_count
}
SET a.count_tasks_led = led, a.count_tasks_supported = supported, a.count_measures = measure_count,
    a.count_goals = goal_count
RETURN count(a) AS count
