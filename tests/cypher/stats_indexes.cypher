// stats_indexes: every index and constraint's index, as defined, with its state.
// Parameters: none.
// Result columns: name, type, labelsOrTypes, properties, options, state.
SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options, state
RETURN name, type, labelsOrTypes, properties, options, state
