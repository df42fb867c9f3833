// dependencies: lead -> supporting links of an agency — "out" to the co-owners of measures it leads, "in" from the leads of measures it supports.
// Parameters: $agency_id, $direction ('out', 'in' or null for both), $include_generic (keep generic agencies), $limit (most rows).
// Result columns: direction, agency (map: id, name, jurisdiction, generic), other (same), measures (count), tasks (list of maps: id, number, title, document_id) (ordered out first, measures desc, other's id).
MATCH (a:Agency {id: $agency_id})-[ra:RESPONSIBLE_FOR]->(m:Measure)<-[ro:RESPONSIBLE_FOR]-(o:Agency)
WHERE o <> a AND ($include_generic OR NOT o.generic)
  AND ((ra.role = 'lead' AND ro.role = 'co') OR (ra.role = 'co' AND ro.role = 'lead'))
WITH CASE ra.role WHEN 'lead' THEN 'out' ELSE 'in' END AS direction, a, o, m
WHERE $direction IS NULL OR direction = $direction
MATCH (t:Task)-[:HAS_MEASURE]->(m)
WITH direction, a, o, count(DISTINCT m) AS measures, collect(DISTINCT t {.id, .number, .title, .document_id}) AS tasks
RETURN direction, a {.id, .name, .jurisdiction, .generic} AS agency, o {.id, .name, .jurisdiction, .generic} AS other,
       measures, tasks
ORDER BY direction DESC, measures DESC, other.id
LIMIT $limit
