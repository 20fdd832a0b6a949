"""tallyman."""
