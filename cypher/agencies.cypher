// agencies: agencies — how many, and the page asked for with their counts: tasks led (it leads some measure of the task) or only supported, measures, goals of those measures (kept on each agency by the loader: load_agency_counts_add and _remove), and partners (agencies it shares a task with: its CO_RESPONSIBLE relationships, also kept by the loader).
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
  RETURN collect(a {
    .id, .name, .jurisdiction, .generic, .kind, tasks_led: a.count_tasks_led,
    tasks_supported: a.count_tasks_supported, measures: a.count_measures, goals: a.count_goals,
    partners: COUNT { MATCH (a)-[:CO_RESPONSIBLE]-(p:Agency) WHERE $include_generic OR NOT p.generic }
  }) AS page
}
RETURN size(found) AS found, page
