// tasks: tasks matching every filter given — how many, and the page asked for with project, section, topics and every responsibility on their measures (only the page's tasks are projected).
// Parameters: $document_id, $project_id, $project_number, $topic, $agency_id, $role (the agency's role in the task: lead if it leads any measure, else co), $text (in title or body) (null = no filter); $limit (most tasks counted), $skip, $take (the page: tasks skipped, then taken, of those counted).
// Result columns: one row — found (tasks counted, at most $limit), page (list of maps: task (map: id, number, title, document_id), project (map: id, number, title), section (map or null), topics (names), responsibilities (list of maps: agency, role, measure_number, position)) (tasks counted in document id, task number order).
// Start from the narrowest index a filter gives (a topic's tasks, a document's, an agency's), then test the rest.
// The branches exclude each other (each wants the filters before it absent): UNION ALL, no dedupe of the lot.
CALL () {
  MATCH (:Topic {name: $topic})<-[:TOUCHES]-(t:Task) RETURN t
  UNION ALL
  MATCH (t:Task {document_id: $document_id}) WHERE $topic IS NULL RETURN t
  UNION ALL
  MATCH (:Agency {id: $agency_id})-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t:Task)
  WHERE $topic IS NULL AND $document_id IS NULL RETURN DISTINCT t
  UNION ALL
  MATCH (t:Task) WHERE $topic IS NULL AND $document_id IS NULL AND $agency_id IS NULL RETURN t
}
WITH t
WHERE ($document_id IS NULL OR t.document_id = $document_id)
  AND ($project_id IS NULL OR t.project_id = $project_id)
  AND ($text IS NULL OR t.title CONTAINS $text OR t.text CONTAINS $text)
  AND CASE WHEN $topic IS NULL THEN true ELSE EXISTS { MATCH (t)-[:TOUCHES]->(:Topic {name: $topic}) } END
  AND CASE WHEN $project_number IS NULL THEN true ELSE EXISTS { MATCH (p:Project) WHERE p.id = t.project_id AND p.number = $project_number } END
// The agency's roles only when an agency is asked for: a CASE evaluates one branch, so other requests
// do not walk every candidate's responsibilities.
WITH t, CASE WHEN $agency_id IS NULL THEN [] ELSE
  [(t)-[:HAS_MEASURE]->(:Measure)<-[r:RESPONSIBLE_FOR]-(x:Agency) WHERE x.id = $agency_id | r.role] END AS agency_roles
WHERE $agency_id IS NULL
   OR (size(agency_roles) > 0 AND ($role IS NULL OR CASE WHEN 'lead' IN agency_roles THEN 'lead' ELSE 'co' END = $role))
WITH t ORDER BY t.document_id, t.number, t.id LIMIT $limit
WITH collect(t) AS found
CALL (found) {
  UNWIND found[$skip..($skip + $take)] AS t
  OPTIONAL MATCH (p:Project {id: t.project_id})
  OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
  RETURN collect({
    task: t {.id, .number, .title, .document_id},
    project: p {.id, .number, .title},
    section: s {.id, .number, .title},
    topics: [(t)-[:TOUCHES]->(tp:Topic) | tp.name],
    responsibilities: [(t)-[:HAS_MEASURE]->(m:Measure)<-[r:RESPONSIBLE_FOR]-(a:Agency) |
      {agency: a {.id, .name, .jurisdiction, .generic}, role: r.role, measure_number: m.number, position: r.position}]
  }) AS page
}
RETURN size(found) AS found, page
