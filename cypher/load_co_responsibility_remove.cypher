// load_co_responsibility_remove: take a share out of the materialised CO_RESPONSIBLE relationships (a replaced document's, read from the stored graph): its ids leave every list (a task and a measure belong to one document), its lead counts are subtracted; a list left empty is removed, a relationship left with no task deleted.
// Parameters: $pairs (list of pair_rows: {a, b, tasks, measures, measure_tasks, lower_leads_measures, lower_leads_tasks, higher_leads_measures, higher_leads_tasks}, a < b).
// Result columns: count (relationships deleted).
CYPHER replan=skip
UNWIND $pairs AS pair
MATCH (:Agency {id: pair.a})-[r:CO_RESPONSIBLE]->(:Agency {id: pair.b})
WITH r, pair,
     [t IN r.tasks WHERE NOT t IN pair.tasks] AS tasks,
     [m IN coalesce(r.measures, []) WHERE NOT m IN pair.measures] AS measures,
     [t IN coalesce(r.measure_tasks, []) WHERE NOT t IN pair.measure_tasks] AS measure_tasks,
     [t IN coalesce(r.lower_leads_tasks, []) WHERE NOT t IN pair.lower_leads_tasks] AS lower_leads_tasks,
     [t IN coalesce(r.higher_leads_tasks, []) WHERE NOT t IN pair.higher_leads_tasks] AS higher_leads_tasks
SET r.tasks = tasks, r.weight = size(tasks),
    r.measures = CASE WHEN size(measures) > 0 THEN measures END, r.measure_weight = size(measures),
    r.measure_tasks = CASE WHEN size(measure_tasks) > 0 THEN measure_tasks END,
    r.lower_leads_measures = coalesce(r.lower_leads_measures, 0) - pair.lower_leads_measures,
    r.lower_leads_tasks = CASE WHEN size(lower_leads_tasks) > 0 THEN lower_leads_tasks END,
    r.higher_leads_measures = coalesce(r.higher_leads_measures, 0) - pair.higher_leads_measures,
    r.higher_leads_tasks = CASE WHEN size(higher_leads_tasks) > 0 THEN higher_leads_tasks END
WITH r WHERE r.weight = 0
DELETE r
RETURN count(*) AS count
