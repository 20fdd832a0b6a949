"""dockyard."""
