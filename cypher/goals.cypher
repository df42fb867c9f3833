// goals: quantitative targets with their task and the owners of the measure that sets them.
// Parameters: $agency_id (goals of measures it is responsible for, or null), $document_id (or null), $topic (goals of tasks touching it, or null), $limit (most rows).
// Result columns: goal (all its properties), measure_id, task (map: id, number, title, document_id), owners (list of maps: agency, role, position, raw, span_start, span_end) (ordered by document id, task number, place in the text).
MATCH (t:Task)-[:HAS_MEASURE]->(m:Measure)-[:SETS]->(g:Goal)
WHERE ($document_id IS NULL OR g.document_id = $document_id)
  AND ($agency_id IS NULL OR EXISTS { MATCH (x:Agency)-[:RESPONSIBLE_FOR]->(m) WHERE x.id = $agency_id })
  AND ($topic IS NULL OR EXISTS { MATCH (t)-[:TOUCHES]->(:Topic {name: $topic}) })
RETURN g {.*} AS goal, m.id AS measure_id, t {.id, .number, .title, .document_id} AS task,
       [(a:Agency)-[r:RESPONSIBLE_FOR]->(m) |
        {agency: a {.id, .name, .jurisdiction, .generic}, role: r.role, position: r.position, raw: r.raw,
                    span_start: r.span_start, span_end: r.span_end}] AS owners
ORDER BY task.document_id, task.number, goal.span_start, goal.id
LIMIT $limit
