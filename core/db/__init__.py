"""Database: declarative base, engine, one session per request, migrations."""
