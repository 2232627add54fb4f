"""Benchmarks of GlobalConnect's heavy paths, each runnable with `python -m bench.<name>`."""
