"""FastAPI service over the plan graph (see the API issue)."""
