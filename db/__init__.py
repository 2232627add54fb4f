"""Database layer: engine/session factory, ORM models and migrations."""
