"""ledgerd."""
