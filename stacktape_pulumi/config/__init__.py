"""Config loading: YAML with positions, pydantic models, located validation."""
