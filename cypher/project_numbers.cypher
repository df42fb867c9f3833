// project_numbers: the project numbers documents use, to suggest when a project filter names none.
// Parameters: $limit (most rows).
// Result columns: number (ordered by number).
MATCH (p:Project)
RETURN DISTINCT p.number AS number
ORDER BY number
LIMIT $limit
