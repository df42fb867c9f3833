// shared_tasks: which units share tasks — pairs of agencies, strongest first, with the tasks they share.
// Paste into Neo4j Browser as is. Parameters: none. Result columns: agency, partner, shared_tasks, tasks.
// For the picture instead of the table: MATCH p = ()-[c:CO_RESPONSIBLE]->() WHERE c.weight >= 2 RETURN p
MATCH (a:Agency)-[c:CO_RESPONSIBLE]->(b:Agency)
MATCH (t:Task) WHERE t.id IN c.tasks
WITH a, b, c, t ORDER BY t.number
RETURN a.name AS agency, b.name AS partner, c.weight AS shared_tasks, collect(t.number) AS tasks
ORDER BY shared_tasks DESC, agency, partner
LIMIT 25
