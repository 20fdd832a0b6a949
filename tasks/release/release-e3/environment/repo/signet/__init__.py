"""signet."""
