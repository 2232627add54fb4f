"""Behavioural data of community members (seed 002)."""
