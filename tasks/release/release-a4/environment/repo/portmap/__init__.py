"""portmap."""
