"""Events, attendees and their profiles, registrations, and the program."""
from db.models.events import CompanySize, EnrichmentStatus, EnrichmentTier, Event, Goal

__all__ = ["CompanySize", "EnrichmentStatus", "EnrichmentTier", "Event", "Goal"]
