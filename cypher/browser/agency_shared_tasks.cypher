// agency_shared_tasks: the tasks 市大数据局 shares with its closest partners, drawn as a graph — the agency, each
// partner sharing at least 2 tasks with it, and the task and clauses (measures) that tie them; the Browser also
// draws the CO_RESPONSIBLE {weight} tie between the two agencies, whose caption is the number of shared tasks.
// Paste into Neo4j Browser as is, after the style (:style, then style.grass); edit the name or the 2 to see more.
// Parameters: none. Result columns: mine (a path agency → measure ← task), theirs (task → measure ← partner),
// tie (the CO_RESPONSIBLE relationship).
MATCH (a:Agency {name: '市大数据局'})-[tie:CO_RESPONSIBLE]-(b:Agency)
WHERE tie.weight >= 2
MATCH mine = (a)-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t:Task)
WHERE t.id IN tie.tasks
MATCH theirs = (t)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(b)
RETURN mine, theirs, tie
