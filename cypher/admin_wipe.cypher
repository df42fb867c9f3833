// admin_wipe: delete every relationship, then every node (tests and benchmarks start empty).
// Parameters: none.
// Result columns: none.
// Two statements, each in batches: relationships first, because DETACH DELETE of an agency
// with tens of thousands of relationships exceeds the transaction memory limit in one go.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n)
CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS
