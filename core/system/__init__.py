"""Health, version and the plugin manifest."""
