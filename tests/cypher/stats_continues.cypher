// stats_continues: every CONTINUES link, to check it against the lineage the plans give.
// Parameters: none.
// Result columns: new, old (task ids), score.
MATCH (n:Task)-[c:CONTINUES]->(o:Task)
RETURN n.id AS new, o.id AS old, c.score AS score
ORDER BY new, old
