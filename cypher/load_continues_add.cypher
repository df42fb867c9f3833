// load_continues_add: link each task to the task it continues in the plan of the year before.
// Parameters: $rows (list of {new, old, score}: task ids and the lineage score).
// Result columns: count (links written).
CYPHER replan=skip
UNWIND $rows AS row
MATCH (new:Task {id: row.new})
MATCH (old:Task {id: row.old})
MERGE (new)-[c:CONTINUES]->(old)
SET c.score = row.score
RETURN count(c) AS count
