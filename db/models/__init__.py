"""The ORM models, one module per domain; everything is re-exported so `from db.models import X` works."""
from db.models.accounts import Account, Role
from db.models.agenda import AgendaItem, Meeting
from db.models.ai import ExperimentAssignment, FeedbackReport, LLMCall, PersonEmbedding, PromptVariant, TextEmbedding
from db.models.alumni import Alumnus, CourseCompletion, JobPosting, TalentHubSnapshot
from db.models.analytics import EventAnalytics
from db.models.base import EMBEDDING_DIM, Base, enum_column
from db.models.events import (
    CompanySize,
    EnrichmentStatus,
    EnrichmentTier,
    Event,
    Goal,
    Person,
    ProgramSession,
    Registration,
    SessionSpeaker,
    Speaker,
)
from db.models.huddles import Huddle, HuddleParticipant
from db.models.ingest import DatasetUpload, UploadPayload, UploadRowError
from db.models.networking import (
    Connection,
    ConnectionActivity,
    ConnectionFeedback,
    Notification,
    RecommendationFeedback,
)
from db.models.platform import AuditLog, JobRequest, JobRun, WorkerHeartbeat
from db.models.recommend import MatchControl, Recommendation, RecommendationKind, SessionAction
from db.models.reengagement import BehaviorEvent, BehaviorMessage, BehaviorOrder, BehaviorUser

__all__ = [
    "EMBEDDING_DIM", "Base", "enum_column", "Role", "Account", "AuditLog", "JobRun", "JobRequest", "WorkerHeartbeat",
    "DatasetUpload", "UploadPayload", "UploadRowError", "Goal", "CompanySize", "EnrichmentStatus", "EnrichmentTier",
    "Person", "Event", "Registration", "ProgramSession", "Speaker", "SessionSpeaker", "PersonEmbedding",
    "TextEmbedding", "PromptVariant", "LLMCall", "FeedbackReport", "ExperimentAssignment", "RecommendationKind",
    "Recommendation", "MatchControl", "SessionAction", "AgendaItem", "Meeting", "Connection", "ConnectionActivity",
    "RecommendationFeedback", "ConnectionFeedback", "Notification", "Huddle", "HuddleParticipant", "EventAnalytics",
    "Alumnus", "JobPosting", "CourseCompletion", "TalentHubSnapshot", "BehaviorUser", "BehaviorOrder",
    "BehaviorEvent", "BehaviorMessage",
]
