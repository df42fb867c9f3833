// load_nodes_agency: upsert one batch of Agency nodes by id (shared by documents); properties replaced, but for the counts the agency keeps over every document (load_agency_counts_add and _remove).
// Parameters: $rows (list of {id, props}).
// Result columns: nodes (nodes written), rels (relationships written: none).
CYPHER replan=skip
UNWIND $rows AS row
MERGE (n:Agency {id: row.id})
WITH n, row, [n.count_tasks_led, n.count_tasks_supported, n.count_measures, n.count_goals] AS kept
SET n = row.props
SET n.count_tasks_led = kept[0], n.count_tasks_supported = kept[1], n.count_measures = kept[2], n.count_goals = kept[3]
RETURN count(n) AS nodes, 0 AS rels
