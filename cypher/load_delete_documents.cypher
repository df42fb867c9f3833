// load_delete_documents: remove documents and everything they own (projects, sections,
// tasks, measures, goals and their relationships); shared agencies and topics stay.
// Parameters: $ids (list of document ids).
// Result columns: agency_ids (agencies that were responsible for the removed measures).
CYPHER replan=skip
UNWIND $ids AS id
MATCH (d:Document {id: id})
OPTIONAL MATCH (d)-[:HAS_PROJECT|HAS_SECTION|HAS_TASK|HAS_MEASURE|SETS*1..5]->(owned)
OPTIONAL MATCH (a:Agency)-[:RESPONSIBLE_FOR]->(owned)
WITH d, collect(DISTINCT owned) AS owned, collect(DISTINCT a.id) AS agency_ids
FOREACH (n IN owned | DETACH DELETE n)
DETACH DELETE d
RETURN agency_ids
