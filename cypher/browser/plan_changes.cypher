// plan_changes: what changed between consecutive plans of each series — tasks added, dropped and continued,
// and for a continued task the units that joined or left it.
// Paste into Neo4j Browser as is. Parameters: none. Result columns: series, from_year, to_year, change
// (added, dropped, continued), task (its number in the later plan; the earlier one for a dropped task),
// was (the earlier number of a continued task), title, joined, left (agency names), score.
// For the picture instead of the table: MATCH p = (:Task)-[:CONTINUES]->(:Task) RETURN p LIMIT 100
MATCH (d:Document) WHERE d.series IS NOT NULL AND d.year IS NOT NULL
WITH d ORDER BY d.series, d.year, d.id
WITH d.series AS series, collect(d) AS documents
UNWIND range(1, size(documents) - 1) AS i
WITH series, documents[i - 1] AS before, documents[i] AS after
CALL {
  WITH before, after
  MATCH (t:Task {document_id: after.id})
  OPTIONAL MATCH (t)-[c:CONTINUES]->(o:Task {document_id: before.id})
  WITH t, o, c,
       reduce(s = [], n IN [(a:Agency)-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t) | a.name] |
              CASE WHEN n IN s THEN s ELSE s + n END) AS now,
       CASE WHEN o IS NULL THEN [] ELSE
         reduce(s = [], n IN [(a:Agency)-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(o) | a.name] |
                CASE WHEN n IN s THEN s ELSE s + n END) END AS then
  RETURN CASE WHEN o IS NULL THEN 'added' ELSE 'continued' END AS change, t.number AS task, o.number AS was,
         t.title AS title,
         CASE WHEN o IS NULL THEN [] ELSE [n IN now WHERE NOT n IN then | n] END AS joined,
         [n IN then WHERE NOT n IN now | n] AS left, c.score AS score
  UNION
  WITH before, after
  MATCH (o:Task {document_id: before.id})
  WHERE NOT EXISTS { MATCH (:Task {document_id: after.id})-[:CONTINUES]->(o) }
  RETURN 'dropped' AS change, o.number AS task, null AS was, o.title AS title, [] AS joined, [] AS left,
         null AS score
}
WITH series, before, after, change, task, was, title, joined, left, score
WHERE change <> 'continued' OR size(joined) + size(left) > 0
RETURN series, before.year AS from_year, after.year AS to_year, change, task, was, title,
       joined, left, score
ORDER BY series, from_year, change, task
