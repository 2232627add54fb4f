"""Connections between people and the feedback on them."""
