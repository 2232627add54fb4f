"""Headless entrypoints: the scheduler worker and the command-line interface."""
