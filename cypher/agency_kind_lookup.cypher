// agency_kind_lookup: whether some agency is of this kind (an indexed lookup, whatever the corpus size).
// Parameters: $kind, $limit (most rows).
// Result columns: kind.
MATCH (a:Agency {kind: $kind})
RETURN a.kind AS kind
LIMIT $limit
