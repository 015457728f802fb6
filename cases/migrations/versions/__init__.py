"""Alembic revision files of the case store."""
