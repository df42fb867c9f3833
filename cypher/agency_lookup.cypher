// agency_lookup: the agencies a typed reference can mean — the one with this id, and every agency that one of its readings names (indexed by name).
// Parameters: $ref (the reference as typed), $keys (its readings: maps of jurisdiction, or null for any, and canonical name), $limit (most rows).
// Result columns: id, name, jurisdiction, generic (ordered by id).
CALL () {
  MATCH (a:Agency {id: $ref}) RETURN a
  UNION
  UNWIND $keys AS key
  MATCH (a:Agency {name: key.name})
  WHERE key.jurisdiction IS NULL OR a.jurisdiction = key.jurisdiction
  RETURN a
}
RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.generic AS generic
ORDER BY id
LIMIT $limit
