// admin_wipe: delete every node and relationship (tests start from an empty graph).
// Parameters: none.
// Result columns: none.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
