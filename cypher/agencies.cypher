// agencies: agencies with their counts — tasks led (it leads some measure of the task) or only supported, measures, goals of those measures, and partners (other agencies responsible for some measure of a task it shares).
// Parameters: $agency_id (one agency, or null for all), $jurisdiction (or null), $kind (or null), $include_generic (count generic agencies as partners), $limit (most rows).
// Result columns: id, name, jurisdiction, generic, kind, tasks_led, tasks_supported, measures, goals, partners (ordered by name, id).
MATCH (a:Agency)
WHERE ($agency_id IS NULL OR a.id = $agency_id)
  AND ($jurisdiction IS NULL OR a.jurisdiction = $jurisdiction)
  AND ($kind IS NULL OR a.kind = $kind)
OPTIONAL MATCH (a)-[r:RESPONSIBLE_FOR]->(m:Measure)<-[:HAS_MEASURE]-(t:Task)
WITH a, t, collect(r.role) AS roles, count(m) AS n
WITH a,
     count(CASE WHEN 'lead' IN roles THEN t END) AS tasks_led,
     count(CASE WHEN NOT 'lead' IN roles THEN t END) AS tasks_supported,
     sum(n) AS measures
OPTIONAL MATCH (a)-[:RESPONSIBLE_FOR]->(:Measure)-[:SETS]->(g:Goal)
WITH a, tasks_led, tasks_supported, measures, count(DISTINCT g) AS goals
// Two MATCH clauses, not one pattern: within one pattern a relationship is used at most once,
// which would lose partners named in the same measure.
OPTIONAL MATCH (a)-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(shared:Task)
OPTIONAL MATCH (shared)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(p:Agency)
  WHERE p <> a AND ($include_generic OR NOT p.generic)
WITH a, tasks_led, tasks_supported, measures, goals, count(DISTINCT p) AS partners
RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.generic AS generic, a.kind AS kind,
       tasks_led, tasks_supported, measures, goals, partners
ORDER BY name, id
LIMIT $limit
