// documents: the documents loaded — how many, and the page asked for with how many tasks, measures and goals each holds and how many agencies it names (counted for the page's documents only).
// Parameters: $limit (most documents counted), $skip, $take (the page: documents skipped, then taken, of those counted).
// Result columns: one row — found (documents counted, at most $limit), page (list of maps: id, title, year, jurisdiction, series, source, tasks, measures, goals, agencies) (documents counted by jurisdiction, title, id).
MATCH (d:Document)
WITH d ORDER BY d.jurisdiction, d.title, d.id LIMIT $limit
WITH collect(d) AS found
CALL (found) {
  UNWIND found[$skip..($skip + $take)] AS d
  RETURN collect(d {
    .id, .title, .year, .jurisdiction, .series, .source,
    tasks: COUNT { (:Task {document_id: d.id}) },
    measures: COUNT { (:Measure {document_id: d.id}) },
    goals: COUNT { (:Goal {document_id: d.id}) },
    agencies: size(COLLECT { MATCH (a:Agency)-[:RESPONSIBLE_FOR]->(:Measure {document_id: d.id}) RETURN DISTINCT a.id })
  }) AS page
}
RETURN size(found) AS found, page
