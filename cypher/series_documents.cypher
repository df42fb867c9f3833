// series_documents: the documents of one series (a plan line over the years), by year.
// Parameters: $series.
// Result columns: id, title, year, jurisdiction (ordered by year, id).
MATCH (d:Document {series: $series})
RETURN d.id AS id, d.title AS title, d.year AS year, d.jurisdiction AS jurisdiction
ORDER BY year, id
