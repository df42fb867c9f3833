// jurisdiction_lookup: whether some agency belongs to this jurisdiction (an indexed lookup, whatever the corpus size).
// Parameters: $jurisdiction (folded), $limit (most rows).
// Result columns: jurisdiction.
MATCH (a:Agency {jurisdiction: $jurisdiction})
RETURN a.jurisdiction AS jurisdiction
LIMIT $limit
