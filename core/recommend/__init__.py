"""People, session and speaker recommendations: matching, explanations, re-rank, feed, export."""
