"""Alembic migrations of the audit trail's schema."""
