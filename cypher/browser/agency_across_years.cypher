// agency_across_years: one unit (市大数据局; edit the name) in each plan of its series — tasks it leads and
// supports, and how many of them go on from the year before.
// Paste into Neo4j Browser as is. Parameters: none (the name is in the first line). Result columns: series,
// year, document, led, supported, continued (its tasks that continue a task of the year before), new.
// For the picture: MATCH p = (:Agency {name: '市大数据局'})-[:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(:Task)-[:CONTINUES]->(:Task) RETURN p
MATCH (a:Agency {name: '市大数据局'})-[r:RESPONSIBLE_FOR]->(:Measure)<-[:HAS_MEASURE]-(t:Task)
MATCH (d:Document {id: t.document_id})
WITH d, t, collect(r.role) AS roles
WITH d, t, 'lead' IN roles AS leads, EXISTS { MATCH (t)-[:CONTINUES]->(:Task) } AS goes_on
RETURN d.series AS series, d.year AS year, d.title AS document,
       sum(CASE WHEN leads THEN 1 ELSE 0 END) AS led, sum(CASE WHEN leads THEN 0 ELSE 1 END) AS supported,
       sum(CASE WHEN goes_on THEN 1 ELSE 0 END) AS continued, sum(CASE WHEN goes_on THEN 0 ELSE 1 END) AS new
ORDER BY series, year
