// jurisdictions: the jurisdictions agencies belong to, to check a jurisdiction filter and to list them when it names none.
// Parameters: $limit (most rows).
// Result columns: jurisdiction (ordered by jurisdiction).
MATCH (a:Agency)
RETURN DISTINCT a.jurisdiction AS jurisdiction
ORDER BY jurisdiction
LIMIT $limit
