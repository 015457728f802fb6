"""Alembic migrations of the case store's schema (version table ``cases_alembic_version``)."""
