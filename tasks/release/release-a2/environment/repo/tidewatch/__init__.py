"""tidewatch."""
