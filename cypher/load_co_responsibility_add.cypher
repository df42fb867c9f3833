// load_co_responsibility_add: add a batch's share to the materialised CO_RESPONSIBLE relationships — one per pair of agencies sharing at least one task, from the lower id to the higher — so that partners, the network (both levels) and dependencies read them. Browser users explore the network through it. Properties: tasks (ids of the shared tasks, sorted) and weight (their number); measures (ids of the measures, clauses, both are responsible for, sorted; absent when none), measure_weight (their number) and measure_tasks (the tasks of those measures; absent when none); lower_leads_measures (measures the lower-id agency leads and the higher supports) and lower_leads_tasks (their tasks; absent when none); higher_leads_measures and higher_leads_tasks (the higher leads, the lower supports). Lists are kept sorted — the batch's ids are new to every list (a replaced version's share is taken out first, in the same transaction), so a list is appended to where its new ids come after the stored ones and sorted again only where they do not; counts are sums over documents.
// Parameters: $pairs (list of pair_rows: {a, b, tasks, measures, measure_tasks, lower_leads_measures, lower_leads_tasks, higher_leads_measures, higher_leads_tasks}, a < b, one row per pair).
// Result columns: count (relationships written).
CYPHER replan=skip
UNWIND $pairs AS pair
MATCH (x:Agency {id: pair.a})
MATCH (y:Agency {id: pair.b})
MERGE (x)-[r:CO_RESPONSIBLE]->(y)
WITH r, pair
CALL (r, pair) {
  WITH coalesce(r.tasks, []) AS old, pair.tasks AS new
  CALL (old, new) {
    WITH old, new WHERE size(new) > 0 AND size(old) > 0 AND old[-1] > new[0]
    UNWIND old + new AS id
    WITH id ORDER BY id
    RETURN collect(id) AS sorted
  }
  RETURN CASE WHEN size(new) = 0 THEN old WHEN size(old) = 0 OR old[-1] < new[0] THEN old + new ELSE sorted END AS tasks
}
CALL (r, pair) {
  WITH coalesce(r.measures, []) AS old, pair.measures AS new
  CALL (old, new) {
    WITH old, new WHERE size(new) > 0 AND size(old) > 0 AND old[-1] > new[0]
    UNWIND old + new AS id
    WITH id ORDER BY id
    RETURN collect(id) AS sorted
  }
  RETURN CASE WHEN size(new) = 0 THEN old WHEN size(old) = 0 OR old[-1] < new[0] THEN old + new ELSE sorted END AS measures
}
CALL (r, pair) {
  WITH coalesce(r.measure_tasks, []) AS old, pair.measure_tasks AS new
  CALL (old, new) {
    WITH old, new WHERE size(new) > 0 AND size(old) > 0 AND old[-1] > new[0]
    UNWIND old + new AS id
    WITH id ORDER BY id
    RETURN collect(id) AS sorted
  }
  RETURN CASE WHEN size(new) = 0 THEN old WHEN size(old) = 0 OR old[-1] < new[0] THEN old + new ELSE sorted END AS measure_tasks
}
CALL (r, pair) {
  WITH coalesce(r.lower_leads_tasks, []) AS old, pair.lower_leads_tasks AS new
  CALL (old, new) {
    WITH old, new WHERE size(new) > 0 AND size(old) > 0 AND old[-1] > new[0]
    UNWIND old + new AS id
    WITH id ORDER BY id
    RETURN collect(id) AS sorted
  }
  RETURN CASE WHEN size(new) = 0 THEN old WHEN size(old) = 0 OR old[-1] < new[0] THEN old + new ELSE sorted END AS lower_leads_tasks
}
CALL (r, pair) {
  WITH coalesce(r.higher_leads_tasks, []) AS old, pair.higher_leads_tasks AS new
  CALL (old, new) {
    WITH old, new WHERE size(new) > 0 AND size(old) > 0 AND old[-1] > new[0]
    UNWIND old + new AS id
    WITH id ORDER BY id
    RETURN collect(id) AS sorted
  }
  RETURN CASE WHEN size(new) = 0 THEN old WHEN size(old) = 0 OR old[-1] < new[0] THEN old + new ELSE sorted END AS higher_leads_tasks
}
SET r.tasks = tasks, r.weight = size(tasks),
    r.measures = CASE WHEN size(measures) > 0 THEN measures END, r.measure_weight = size(measures),
    r.measure_tasks = CASE WHEN size(measure_tasks) > 0 THEN measure_tasks END,
    r.lower_leads_measures = coalesce(r.lower_leads_measures, 0) + pair.lower_leads_measures,
    r.lower_leads_tasks = CASE WHEN size(lower_leads_tasks) > 0 THEN lower_leads_tasks END,
    r.higher_leads_measures = coalesce(r.higher_leads_measures, 0) + pair.higher_leads_measures,
    r.higher_leads_tasks = CASE WHEN size(higher_leads_tasks) > 0 THEN higher_leads_tasks END
RETURN count(r) AS count
