// agency_lookup: the agencies a typed reference can mean — the one with this id, and every agency with one of these canonical names.
// Parameters: $ref (the reference as typed), $names (the canonical names it can mean), $limit (most rows).
// Result columns: id, name, jurisdiction, generic (ordered by id).
CALL () {
  MATCH (a:Agency {id: $ref}) RETURN a
  UNION
  MATCH (a:Agency) WHERE a.name IN $names RETURN a
}
RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.generic AS generic
ORDER BY id
LIMIT $limit
