// stats_label_counts: how many nodes of each label the database holds.
// Parameters: none.
// Result columns: label, count (one row per label present).
MATCH (n)
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label
