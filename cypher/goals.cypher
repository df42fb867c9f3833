// goals: quantitative targets — how many, and the page asked for with their task and the owners of the measure that sets them (only the page's goals are projected).
// Parameters: $agency_id (goals of measures it is responsible for, or null), $document_id (or null), $topic (goals of tasks touching it, or null), $limit (most goals counted), $skip, $take (the page: goals skipped, then taken, of those counted).
// Result columns: one row — found (goals counted, at most $limit), page (list of maps: goal (all its properties), measure_id, task (map: id, number, title, document_id), owners (list of maps: agency, role, position, raw, span_start, span_end)) (goals counted by document id, task number, place in the text).
// Start from the narrowest index a filter gives (a topic's tasks, a document's goals, an agency's measures).
// The branches exclude each other (each wants the filters before it absent): UNION ALL, no dedupe of the lot.
CALL () {
  MATCH (:Topic {name: $topic})<-[:TOUCHES]-(t:Task)-[:HAS_MEASURE]->(m:Measure)-[:SETS]->(g:Goal) RETURN t, m, g
  UNION ALL
  MATCH (t:Task)-[:HAS_MEASURE]->(m:Measure)-[:SETS]->(g:Goal {document_id: $document_id})
  WHERE $topic IS NULL RETURN t, m, g
  UNION ALL
  MATCH (:Agency {id: $agency_id})-[:RESPONSIBLE_FOR]->(m:Measure)-[:SETS]->(g:Goal), (t:Task)-[:HAS_MEASURE]->(m)
  WHERE $topic IS NULL AND $document_id IS NULL RETURN DISTINCT t, m, g
  UNION ALL
  MATCH (t:Task)-[:HAS_MEASURE]->(m:Measure)-[:SETS]->(g:Goal)
  WHERE $topic IS NULL AND $document_id IS NULL AND $agency_id IS NULL RETURN t, m, g
}
WITH t, m, g
WHERE ($document_id IS NULL OR g.document_id = $document_id)
  AND CASE WHEN $agency_id IS NULL THEN true ELSE EXISTS { MATCH (x:Agency)-[:RESPONSIBLE_FOR]->(m) WHERE x.id = $agency_id } END
  AND CASE WHEN $topic IS NULL THEN true ELSE EXISTS { MATCH (t)-[:TOUCHES]->(:Topic {name: $topic}) } END
WITH t, m, g ORDER BY t.document_id, t.number, g.span_start, g.id LIMIT $limit
WITH collect({t: t, m: m, g: g}) AS found
CALL (found) {
  UNWIND found[$skip..($skip + $take)] AS row
  WITH row.t AS t, row.m AS m, row.g AS g
  RETURN collect({
    goal: g {.*}, measure_id: m.id, task: t {.id, .number, .title, .document_id},
    owners: [(a:Agency)-[r:RESPONSIBLE_FOR]->(m) |
      {agency: a {.id, .name, .jurisdiction, .generic}, role: r.role, position: r.position, raw: r.raw,
       span_start: r.span_start, span_end: r.span_end}]
  }) AS page
}
RETURN size(found) AS found, page
