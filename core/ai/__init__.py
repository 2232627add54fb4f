"""Shared AI services: the LLM client and call log, embeddings, prompt variants and experiments."""
