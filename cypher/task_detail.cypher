// task_detail: one task (or every task of a document) with its document, project, section, topics (with the terms found) and measures (with owners and goals).
// Parameters: $task_id (or null), $document_id (every task of it, or null).
// Result columns: task (all its properties), document, project, section (maps; section may be null), topics (list of {name, terms}), measures (list of maps with their deadline, policy tools, owners and goals).
CALL {
  MATCH (t:Task {id: $task_id}) RETURN t
  UNION
  MATCH (t:Task {document_id: $document_id}) RETURN t
}
OPTIONAL MATCH (d:Document {id: t.document_id})
OPTIONAL MATCH (p:Project {id: t.project_id})
OPTIONAL MATCH (s:Section)-[:HAS_TASK]->(t)
RETURN t {.*} AS task,
       d {.id, .title, .year, .jurisdiction} AS document,
       p {.id, .number, .title} AS project,
       s {.id, .number, .title} AS section,
       [(t)-[x:TOUCHES]->(tp:Topic) | {name: tp.name, terms: x.terms}] AS topics,
       [(t)-[:HAS_MEASURE]->(m:Measure) | m {.id, .number, .text, .span_start, .span_end, .deadline, .tools, .tool_terms,
          owners: [(a:Agency)-[r:RESPONSIBLE_FOR]->(m) |
                   {agency: a {.id, .name, .jurisdiction, .generic}, role: r.role, position: r.position, raw: r.raw,
                    span_start: r.span_start, span_end: r.span_end}],
          goals: [(m)-[:SETS]->(g:Goal) | g {.*}]}
       ] AS measures
ORDER BY t.number, t.id
