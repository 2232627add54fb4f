"""Accounts, roles and credentials."""
