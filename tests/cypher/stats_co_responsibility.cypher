// stats_co_responsibility: every materialised CO_RESPONSIBLE relationship, to check it against the plans.
// Parameters: none.
// Result columns: a, b (agency ids, a < b), weight, tasks.
MATCH (x:Agency)-[r:CO_RESPONSIBLE]->(y:Agency)
RETURN x.id AS a, y.id AS b, r.weight AS weight, r.tasks AS tasks
ORDER BY a, b
