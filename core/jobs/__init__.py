"""The job registry, the single-flight runner, the worker's queue pass, and the upload kinds registry."""
