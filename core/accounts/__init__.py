"""Accounts, roles and credentials."""
from db.models.accounts import Role

__all__ = ["Role"]
