// agency_kinds: the kinds of agency there are, to check a kind filter and to list them when it names none.
// Parameters: $limit (most rows).
// Result columns: kind (ordered by kind).
MATCH (a:Agency)
RETURN DISTINCT a.kind AS kind
ORDER BY kind
LIMIT $limit
