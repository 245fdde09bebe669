"""Importing tasks: parsing sources, validating them, bulk-inserting them."""
