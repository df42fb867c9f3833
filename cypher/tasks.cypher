// tasks: tasks matching every filter given, with project, section, topics and every responsibility on their measures.
// Parameters: $document_id, $project_id, $project_number, $topic, $agency_id, $role (the agency's role in the task: lead if it leads any measure, else co), $text (in title or body), $limit (most rows); null = no filter.
// Result columns: task (map: id, number, title, document_id), project (map: id, number, title), section (map or null), topics (names), responsibilities (list of maps: agency, role, measure_number, position) (ordered by document id, task number).
MATCH (t:Task)
WHERE ($document_id IS NULL OR t.document_id = $document_id)
  AND ($project_id IS NULL OR t.project_id = $project_id)
  AND ($text IS NULL OR t.title CONTAINS $text OR t.text CONTAINS $text)
  AND ($topic IS NULL OR EXISTS { MATCH (t)-[:TOUCHES]->(:Topic {name: $topic}) })
  AND ($project_number IS NULL OR EXISTS { MATCH (p:Project) WHERE p.id = t.project_id AND p.number = $project_number })
WITH t, [(t)-[:HAS_MEASURE]->(:Measure)<-[r:RESPONSIBLE_FOR]-(x:Agency) WHERE x.id = $agency_id | r.role] AS agency_roles
WHERE $agency_id IS NULL
   OR (size(agency_roles) > 0 AND ($role IS NULL OR CASE WHEN 'lead' IN agency_roles THEN 'lead' ELSE 'co' END = $role))
OPTIONAL MATCH (p:Project {id: t.project_id})
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN t {.id, .number, .title, .document_id} AS task,
       p {.id, .number, .title} AS project,
       s {.id, .number, .title} AS section,
       [(t)-[:TOUCHES]->(tp:Topic) | tp.name] AS topics,
       [(t)-[:HAS_MEASURE]->(m:Measure)<-[r:RESPONSIBLE_FOR]-(a:Agency) |
         {agency: a {.id, .name, .jurisdiction, .generic}, role: r.role, measure_number: m.number, position: r.position}
       ] AS responsibilities
ORDER BY task.document_id, task.number, task.id
LIMIT $limit
