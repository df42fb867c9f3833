// dependencies_stored: lead -> supporting links of an agency — "out" to the co-owners of measures it leads, "in" from the leads of measures it supports — each with how many measures and tasks, and the tasks of lowest id; read from the CO_RESPONSIBLE relationships the loader keeps (lower_leads_measures and lower_leads_tasks where the agency of the lower id leads, higher_leads_* where the higher does).
// Parameters: $agency_id, $direction ('out', 'in' or null for both), $include_generic (keep generic agencies), $nested (most tasks listed for a link), $limit (most rows).
// Result columns: direction, agency (map: id, name, jurisdiction, generic), other (same), measures (count), task_count, tasks (list of maps: id, number, title, document_id; the $nested of lowest id) (ordered out first, measures desc, other's id).
MATCH (a:Agency {id: $agency_id})-[r:CO_RESPONSIBLE]-(o:Agency)
WHERE $include_generic OR NOT o.generic
WITH a, o, r, startNode(r) = a AS lower
UNWIND [
  {direction: 'out', measures: CASE WHEN lower THEN r.lower_leads_measures ELSE r.higher_leads_measures END,
   task_ids: CASE WHEN lower THEN r.lower_leads_tasks ELSE r.higher_leads_tasks END},
  {direction: 'in', measures: CASE WHEN lower THEN r.higher_leads_measures ELSE r.lower_leads_measures END,
   task_ids: CASE WHEN lower THEN r.higher_leads_tasks ELSE r.lower_leads_tasks END}
] AS link
WITH a, o, link
WHERE link.measures > 0 AND ($direction IS NULL OR link.direction = $direction)
RETURN link.direction AS direction, a {.id, .name, .jurisdiction, .generic} AS agency,
       o {.id, .name, .jurisdiction, .generic} AS other, link.measures AS measures,
       size(link.task_ids) AS task_count,
       COLLECT {
         UNWIND link.task_ids[..$nested] AS id
         MATCH (t:Task {id: id})
         RETURN t {.id, .number, .title, .document_id}
       } AS tasks
ORDER BY direction DESC, measures DESC, other.id
LIMIT $limit
