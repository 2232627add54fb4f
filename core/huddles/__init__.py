"""Huddles: small-group meetups formed from shared problems, sessions and proximity (seed 000 §6)."""
