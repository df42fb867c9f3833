// agency_lookup: the agencies a typed reference can mean — the one with this id, and every agency with this canonical name.
// Parameters: $ref (the reference as typed), $name (its canonical name), $limit (most rows).
// Result columns: id, name, jurisdiction, generic (ordered by id).
MATCH (a:Agency)
WHERE a.id = $ref OR a.name = $name
RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.generic AS generic
ORDER BY id
LIMIT $limit
