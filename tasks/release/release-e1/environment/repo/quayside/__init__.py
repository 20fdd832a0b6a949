"""quayside."""
