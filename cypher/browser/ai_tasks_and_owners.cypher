// ai_tasks_and_owners: the tasks that touch 人工智能, the terms that show it, and who leads and supports them.
// Paste into Neo4j Browser as is (change the topic name to see another topic).
// Parameters: none. Result columns: task, title, terms, leads, supporting.
MATCH (:Topic {name: '人工智能'})<-[touch:TOUCHES]-(t:Task)-[:HAS_MEASURE]->(m:Measure)<-[r:RESPONSIBLE_FOR]-(a:Agency)
WITH t, touch, r, a ORDER BY r.position
WITH t, touch,
     collect(DISTINCT CASE WHEN r.role = 'lead' THEN a.name END) AS leads,
     collect(DISTINCT CASE WHEN r.role = 'co' THEN a.name END) AS supporting
RETURN t.number AS task, t.title AS title, touch.terms AS terms, leads, supporting
ORDER BY task
