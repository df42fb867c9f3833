// documents_in: the documents of one series (a plan line over the years) and/or of one year, by year.
// Parameters: $series (or null), $year (or null).
// Result columns: id, title, year, jurisdiction (ordered by year, id).
MATCH (d:Document)
WHERE ($series IS NULL OR d.series = $series) AND ($year IS NULL OR d.year = $year)
RETURN d.id AS id, d.title AS title, d.year AS year, d.jurisdiction AS jurisdiction
ORDER BY year, id
