"""The personal agenda: the planner, the attendee's plan, and 1:1 meetings."""
