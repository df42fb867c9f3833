// project_lookup: the projects a project filter can mean — the one with this id, or every project with this number.
// Parameters: $project_id (an id, or null), $project_number (a number, or null), $limit (most rows).
// Result columns: id, number (ordered by id).
MATCH (p:Project)
WHERE p.id = $project_id OR p.number = $project_number
RETURN p.id AS id, p.number AS number
ORDER BY id
LIMIT $limit
