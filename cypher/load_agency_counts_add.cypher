// load_agency_counts_add: add the new versions' share to the counts each agency keeps (what load_agency_counts_remove takes away for the stored versions), computed from the plans by the loader (graph_loader.kept.agency_count_rows) — no read of what the batch just wrote.
// Parameters: $rows (list of {id (agency id), led (tasks it leads some measure of), supported (tasks it is named in and leads no measure of), measures, goals (of those measures)}).
// Result columns: count (agencies updated).
CYPHER replan=skip
UNWIND $rows AS row
MATCH (a:Agency {id: row.id})
SET a.count_tasks_led = coalesce(a.count_tasks_led, 0) + row.led,
    a.count_tasks_supported = coalesce(a.count_tasks_supported, 0) + row.supported,
    a.count_measures = coalesce(a.count_measures, 0) + row.measures,
    a.count_goals = coalesce(a.count_goals, 0) + row.goals
RETURN count(a) AS count
