"""Shared knowledge: the skill taxonomy and tagger, and the offline gazetteer."""
