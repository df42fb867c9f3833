// load_bulk_node_count: how many nodes the database holds (from the count store: no scan); a bulk import
// goes only into an empty database.
// Parameters: none.
// Result columns: count.
MATCH (n)
RETURN count(n) AS count
