// stats_document_contents: every document with its content hash and what hangs under it through the graph's relationships (not the document_id properties), to check that a load left each document whole.
// Parameters: none.
// Result columns: id, content_hash, tasks (Task nodes reached by HAS_PROJECT, HAS_SECTION, HAS_TASK), measures (reached from those by HAS_MEASURE), responsibilities (one "measure id|agency name|role|position" string per RESPONSIBLE_FOR); ordered by id.
MATCH (d:Document)
OPTIONAL MATCH (d)-[:HAS_PROJECT]->(:Project)-[:HAS_SECTION*0..1]->()-[:HAS_TASK]->(t:Task)
OPTIONAL MATCH (t)-[:HAS_MEASURE]->(m:Measure)
OPTIONAL MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m)
RETURN d.id AS id, d.content_hash AS content_hash, count(DISTINCT t) AS tasks, count(DISTINCT m) AS measures,
       collect(m.id + '|' + a.name + '|' + r.role + '|' + toString(r.position)) AS responsibilities
ORDER BY id
