"""The alumni community (seed 003, AI systems 4 to 6): digital alumni ID cards, knowledge capsules ranked for
each reader, and engagement scores with levels, badges and leaderboards."""
