"""Shared upload machinery: reading tables, validating rows against a dataset kind, and reports."""
