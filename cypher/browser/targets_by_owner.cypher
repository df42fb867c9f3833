// targets_by_owner: every quantitative target with the unit that leads it and the units that support it.
// Paste into Neo4j Browser as is. Parameters: none.
// Result columns: lead, task, goal, metric, comparator, value, unit, supporting.
MATCH (lead:Agency)-[:RESPONSIBLE_FOR {role: 'lead'}]->(m:Measure)-[:SETS]->(g:Goal)
MATCH (t:Task)-[:HAS_MEASURE]->(m)
OPTIONAL MATCH (co:Agency)-[:RESPONSIBLE_FOR {role: 'co'}]->(m)
WITH lead, t, g, co ORDER BY co.name
RETURN lead.name AS lead, t.number AS task, g.id AS goal, g.metric AS metric, g.comparator AS comparator,
       g.value AS value, g.unit AS unit, collect(co.name) AS supporting
ORDER BY lead, task, goal
