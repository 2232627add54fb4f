"""Events, attendees and their profiles, registrations, and the program."""
from db.models.events import CompanySize, EnrichmentTier, Event, Goal

__all__ = ["CompanySize", "EnrichmentTier", "Event", "Goal"]
