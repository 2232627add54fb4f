"""Shared Streamlit helpers: auth guard, cached resources, widgets. No business logic."""
