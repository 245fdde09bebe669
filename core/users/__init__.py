"""Users, sessions and API credentials."""
