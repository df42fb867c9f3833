"""The policykg service and command line: FastAPI over the plan graph, the stores, settings, and `policykg`."""
