// load_bulk_empty_lists_measure: after a bulk import, give measures the empty lists CSV cannot carry (the
// importer reads an empty array as no property; the transactional loader stores []).
// Parameters: $rows (list of {id, props}: a measure's id and its empty list properties).
// Result columns: count (measures set).
UNWIND $rows AS row
MATCH (n:Measure {id: row.id})
SET n += row.props
RETURN count(n) AS count
