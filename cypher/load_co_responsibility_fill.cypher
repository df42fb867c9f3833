// load_co_responsibility_fill: give CO_RESPONSIBLE relationships of a graph loaded before they kept them their clause-level and lead → supporting shares (the properties load_co_responsibility_add keeps), computed from load_co_responsibility_missing's rows; tasks and weight are left as they are.
// Parameters: $pairs (list of {a, b, measures, measure_tasks, lower_leads_measures, lower_leads_tasks, higher_leads_measures, higher_leads_tasks}, a < b; empty lists as null).
// Result columns: count (relationships filled).
CYPHER replan=skip
UNWIND $pairs AS pair
MATCH (:Agency {id: pair.a})-[r:CO_RESPONSIBLE]->(:Agency {id: pair.b})
SET r.measures = pair.measures, r.measure_weight = size(coalesce(pair.measures, [])),
    r.measure_tasks = pair.measure_tasks,
    r.lower_leads_measures = pair.lower_leads_measures, r.lower_leads_tasks = pair.lower_leads_tasks,
    r.higher_leads_measures = pair.higher_leads_measures, r.higher_leads_tasks = pair.higher_leads_tasks
RETURN count(r) AS count
