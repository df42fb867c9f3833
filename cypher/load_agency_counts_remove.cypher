// load_agency_counts_remove: take away the share of some documents in the counts each agency keeps — tasks it leads (leads some measure of) or only supports, measures and their goals it is responsible for — so that /agencies reads them instead of walking the corpus. A task, a measure and a goal belong to one document, so the counts are sums over documents: the loader takes the stored versions' share away before replacing them, in the batch's transaction, and adds the new versions' from the plans (load_agency_counts_add), not by reading back what it wrote.
// Parameters: $document_ids.
// Result columns: count (agencies updated).
CYPHER replan=skip
MATCH (m:Measure)<-[r:RESPONSIBLE_FOR]-(a:Agency)
WHERE m.document_id IN $document_ids
WITH a, m.task_id AS task, collect(r.role) AS roles, collect(DISTINCT m) AS measures
WITH a, count(CASE WHEN 'lead' IN roles THEN task END) AS led, count(CASE WHEN NOT 'lead' IN roles THEN task END) AS supported,
     sum(size(measures)) AS measure_count, sum(reduce(n = 0, m IN measures | n + COUNT { (m)-[:SETS]->(:Goal) })) AS goal_count
SET a.count_tasks_led = coalesce(a.count_tasks_led, 0) - led,
    a.count_tasks_supported = coalesce(a.count_tasks_supported, 0) - supported,
    a.count_measures = coalesce(a.count_measures, 0) - measure_count,
    a.count_goals = coalesce(a.count_goals, 0) - goal_count
RETURN count(a) AS count
