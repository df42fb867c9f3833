// agencies: agencies — how many, and the page asked for with their counts (for the page's agencies only): tasks led (it leads some measure of the task) or only supported, measures, goals of those measures, and partners (agencies it shares a task with: its CO_RESPONSIBLE relationships, which the loader keeps).
// Parameters: $agency_id (one agency, or null for all), $jurisdiction (or null), $kind (or null), $include_generic (count generic agencies as partners), $limit (most agencies counted), $skip, $take (the page: agencies skipped, then taken, of those counted).
// Result columns: one row — found (agencies counted, at most $limit), page (list of maps: id, name, jurisdiction, generic, kind, tasks_led, tasks_supported, measures, goals, partners) (agencies counted by name, id).
MATCH (a:Agency)
WHERE ($agency_id IS NULL OR a.id = $agency_id)
  AND ($jurisdiction IS NULL OR a.jurisdiction = $jurisdiction)
  AND ($kind IS NULL OR a.kind = $kind)
WITH a ORDER BY a.name, a.id LIMIT $limit
WITH collect(a) AS found
CALL (found) {
  UNWIND found[$skip..($skip + $take)] AS a
  CALL (a) {
    OPTIONAL MATCH (a)-[r:RESPONSIBLE_FOR]->(m:Measure)
    WITH m.task_id AS task, collect(r.role) AS roles, count(m) AS n
    RETURN count(CASE WHEN 'lead' IN roles THEN task END) AS tasks_led,
           count(CASE WHEN NOT 'lead' IN roles THEN task END) AS tasks_supported,
           sum(n) AS measures
  }
  RETURN collect(a {
    .id, .name, .jurisdiction, .generic, .kind, tasks_led: tasks_led, tasks_supported: tasks_supported,
    measures: measures,
    goals: COUNT { MATCH (a)-[:RESPONSIBLE_FOR]->(:Measure)-[:SETS]->(g:Goal) RETURN DISTINCT g },
    partners: COUNT { MATCH (a)-[:CO_RESPONSIBLE]-(p:Agency) WHERE $include_generic OR NOT p.generic }
  }) AS page
}
RETURN size(found) AS found, page
