"""beacon."""
