// load_series_tasks: the documents of some series with their tasks, what lineage compares; a series of one
// document links nothing and is left out (its tasks are not read).
// Parameters: $series (list of series names).
// Result columns: series, id, year, tasks (list of {id, number, title, text}) (ordered by series, year, id).
CYPHER replan=skip
UNWIND $series AS name
MATCH (d:Document {series: name})
WITH name, collect(d) AS documents
WHERE size(documents) > 1
UNWIND documents AS d
OPTIONAL MATCH (t:Task {document_id: d.id})
WITH d, t ORDER BY t.number
RETURN d.series AS series, d.id AS id, d.year AS year,
       [x IN collect(t) | x {.id, .number, .title, .text}] AS tasks
ORDER BY series, year, id
