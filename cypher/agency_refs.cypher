// agency_refs: every agency, to suggest the closest names when a reference matches none.
// Parameters: $limit (most rows).
// Result columns: id, name, jurisdiction, generic (ordered by id).
MATCH (a:Agency)
RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.generic AS generic
ORDER BY id
LIMIT $limit
