// agency_dependencies: one agency's lead → supporting dependencies — the units that support the
// measures it leads, and the units that lead the measures it supports.
// Paste into Neo4j Browser as is; change the name on the first line for another agency.
// Parameters: none. Result columns: direction, agency, measures, tasks.
WITH '市大数据局' AS name
MATCH (me:Agency {name: name})-[mine:RESPONSIBLE_FOR]->(m:Measure)<-[theirs:RESPONSIBLE_FOR]-(other:Agency)
WHERE (mine.role = 'lead' AND theirs.role = 'co') OR (mine.role = 'co' AND theirs.role = 'lead')
MATCH (t:Task)-[:HAS_MEASURE]->(m)
WITH CASE mine.role WHEN 'lead' THEN 'supports me' ELSE 'I support' END AS direction, other, m, t
ORDER BY t.number
RETURN direction, other.name AS agency, count(DISTINCT m) AS measures, collect(DISTINCT t.number) AS tasks
ORDER BY direction, measures DESC, agency
