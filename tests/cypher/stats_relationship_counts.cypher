// stats_relationship_counts: how many relationships of each type the database holds.
// Parameters: none.
// Result columns: type, count (one row per type present).
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
