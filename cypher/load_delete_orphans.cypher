// load_delete_orphans: agencies no measure names any more, and topics no task touches.
// Parameters: none.
// Result columns: count (nodes deleted).
CALL () {
  MATCH (a:Agency) WHERE NOT (a)-[:RESPONSIBLE_FOR]->() RETURN a AS n
  UNION
  MATCH (t:Topic) WHERE NOT ()-[:TOUCHES]->(t) RETURN t AS n
}
DETACH DELETE n
RETURN count(*) AS count
