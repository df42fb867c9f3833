// schema_await: wait until every index is online, so the first load and query use them.
// Parameters: $timeout_seconds.
// Result columns: none.
CALL db.awaitIndexes($timeout_seconds)
