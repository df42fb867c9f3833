// documents: the documents loaded, with how many tasks, measures and goals they hold and how many agencies they name.
// Parameters: $limit (most rows).
// Result columns: id, title, year, jurisdiction, series, source, tasks, measures, goals, agencies (ordered by jurisdiction, title, id).
MATCH (d:Document)
OPTIONAL MATCH (t:Task {document_id: d.id})
WITH d, count(t) AS tasks
OPTIONAL MATCH (m:Measure {document_id: d.id})
WITH d, tasks, count(m) AS measures
OPTIONAL MATCH (g:Goal {document_id: d.id})
WITH d, tasks, measures, count(g) AS goals
OPTIONAL MATCH (a:Agency)-[:RESPONSIBLE_FOR]->(:Measure {document_id: d.id})
WITH d, tasks, measures, goals, count(DISTINCT a) AS agencies
RETURN d.id AS id, d.title AS title, d.year AS year, d.jurisdiction AS jurisdiction, d.series AS series,
       d.source AS source,
       tasks, measures, goals, agencies
ORDER BY jurisdiction, title, id
LIMIT $limit
