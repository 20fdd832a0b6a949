"""fleetd."""
