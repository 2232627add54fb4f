"""Alumni, job market and educational data, location fixes, and the talent heatmap."""
