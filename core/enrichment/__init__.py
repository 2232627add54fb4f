"""Opt-in enrichment from public profiles (seed 000 §2, §8) and favourites as taste signals (seed 004)."""
