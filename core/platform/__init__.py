"""Shared platform services: settings, clock, wiring, audit, parallel helpers, the job context and queue."""
