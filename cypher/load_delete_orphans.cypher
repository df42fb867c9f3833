// load_delete_orphans: of these agencies, those no measure names any more; and topics no task touches.
// Parameters: $agency_ids (candidates: the agencies of replaced documents).
// Result columns: count (nodes deleted).
CYPHER replan=skip
CALL () {
  UNWIND $agency_ids AS aid
  MATCH (a:Agency {id: aid}) WHERE NOT (a)-[:RESPONSIBLE_FOR]->()
  RETURN a AS n
  UNION
  MATCH (t:Topic) WHERE NOT ()-[:TOUCHES]->(t)
  RETURN t AS n
}
DETACH DELETE n
RETURN count(*) AS count
