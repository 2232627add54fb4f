"""Events, attendees and their profiles, registrations, and the program."""
