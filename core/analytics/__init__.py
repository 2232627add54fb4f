"""Organizer analytics per event and the PDF report."""
