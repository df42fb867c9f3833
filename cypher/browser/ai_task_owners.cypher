// ai_task_owners: one task that touches 人工智能 (task 42 of 数字青岛2025年行动方案), drawn as a graph — the topic,
// the task, its clauses (measures), the agencies responsible for each with their role, and the targets they set.
// Paste into Neo4j Browser as is, after the style (:style, then style.grass); edit the task id for another task.
// Parameters: none. Result columns: p (a path topic ← task → measure ← agency), goal (a path measure → goal, or null).
MATCH p = (:Topic {name: '人工智能'})<-[:TOUCHES]-(:Task {id: '青岛-2025-数字青岛行动方案:t42'})
          -[:HAS_MEASURE]->(m:Measure)<-[:RESPONSIBLE_FOR]-(:Agency)
OPTIONAL MATCH goal = (m)-[:SETS]->(:Goal)
RETURN p, goal
