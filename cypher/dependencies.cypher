// dependencies: lead -> supporting links of an agency — "out" to the co-owners of measures it leads, "in" from the leads of measures it supports — each with how many measures and tasks, and the tasks of lowest id.
// Parameters: $agency_id, $direction ('out', 'in' or null for both), $include_generic (keep generic agencies), $nested (most tasks listed for a link), $limit (most rows).
// Result columns: direction, agency (map: id, name, jurisdiction, generic), other (same), measures (count), task_count, tasks (list of maps: id, number, title, document_id; the $nested of lowest id) (ordered out first, measures desc, other's id).
MATCH (a:Agency {id: $agency_id})-[ra:RESPONSIBLE_FOR]->(m:Measure)<-[ro:RESPONSIBLE_FOR]-(o:Agency)
WHERE o <> a AND ($include_generic OR NOT o.generic)
  AND ((ra.role = 'lead' AND ro.role = 'co') OR (ra.role = 'co' AND ro.role = 'lead'))
WITH CASE ra.role WHEN 'lead' THEN 'out' ELSE 'in' END AS direction, a, o, m
WHERE $direction IS NULL OR direction = $direction
WITH direction, a, o, count(DISTINCT m) AS measures, collect(DISTINCT m.task_id) AS task_ids
RETURN direction, a {.id, .name, .jurisdiction, .generic} AS agency, o {.id, .name, .jurisdiction, .generic} AS other,
       measures, size(task_ids) AS task_count,
       COLLECT {
         UNWIND task_ids AS id
         WITH id ORDER BY id LIMIT $nested
         MATCH (t:Task {id: id})
         RETURN t {.id, .number, .title, .document_id}
       } AS tasks
ORDER BY direction DESC, measures DESC, other.id
LIMIT $limit
