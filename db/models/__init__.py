"""The ORM models, one module per domain; everything is re-exported so `from db.models import X` works."""
from db.models.base import EMBEDDING_DIM, Base, enum_column
from db.models.accounts import Role, Account
from db.models.platform import AuditLog, JobRun, JobRequest, WorkerHeartbeat
from db.models.ingest import DatasetUpload, UploadPayload, UploadRowError
from db.models.events import Goal, CompanySize, EnrichmentStatus, EnrichmentTier, Person, Event, Registration, ProgramSession, Speaker, SessionSpeaker
from db.models.ai import PersonEmbedding, TextEmbedding, PromptVariant, LLMCall, FeedbackReport, ExperimentAssignment
from db.models.recommend import RecommendationKind, Recommendation, MatchControl, SessionAction
from db.models.agenda import AgendaItem, Meeting
from db.models.networking import Connection, ConnectionActivity, RecommendationFeedback, ConnectionFeedback, Notification
from db.models.huddles import Huddle, HuddleParticipant
from db.models.analytics import EventAnalytics
from db.models.alumni import Alumnus, JobPosting, CourseCompletion, TalentHubSnapshot
from db.models.reengagement import BehaviorUser, BehaviorOrder, BehaviorEvent, BehaviorMessage

__all__ = ['EMBEDDING_DIM', 'Base', 'enum_column', 'Role', 'Account', 'AuditLog', 'JobRun', 'JobRequest', 'WorkerHeartbeat', 'DatasetUpload', 'UploadPayload', 'UploadRowError', 'Goal', 'CompanySize', 'EnrichmentStatus', 'EnrichmentTier', 'Person', 'Event', 'Registration', 'ProgramSession', 'Speaker', 'SessionSpeaker', 'PersonEmbedding', 'TextEmbedding', 'PromptVariant', 'LLMCall', 'FeedbackReport', 'ExperimentAssignment', 'RecommendationKind', 'Recommendation', 'MatchControl', 'SessionAction', 'AgendaItem', 'Meeting', 'Connection', 'ConnectionActivity', 'RecommendationFeedback', 'ConnectionFeedback', 'Notification', 'Huddle', 'HuddleParticipant', 'EventAnalytics', 'Alumnus', 'JobPosting', 'CourseCompletion', 'TalentHubSnapshot', 'BehaviorUser', 'BehaviorOrder', 'BehaviorEvent', 'BehaviorMessage']
