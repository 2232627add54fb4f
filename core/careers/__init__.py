"""Alumni intelligence (seed 003, AI systems 1 and 2): the skill graph, alumni search by skills, career paths,
the next-role model, predictions and learning paths."""
