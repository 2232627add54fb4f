"""The ORM models, one module per domain; everything is re-exported so `from db.models import X` works."""
from db.models.accounts import Account, AccountToken, LoginAttempt, Role, TokenPurpose
from db.models.agenda import AgendaItem, Meeting, MeetingStatus
from db.models.ai import (
    ExperimentAssignment,
    FeedbackReport,
    LLMBatch,
    LLMBatchStatus,
    LLMCall,
    PersonEmbedding,
    PromptVariant,
    TextEmbedding,
    VariantStatus,
)
from db.models.alumni import AlumniVisibility, Alumnus, CourseCompletion, JobPosting, TalentHubSnapshot
from db.models.analytics import EventAnalytics
from db.models.base import EMBEDDING_DIM, Base, enum_column
from db.models.careers import (
    AdviceSource,
    BuildKind,
    CareerBuild,
    CareerModel,
    CareerMove,
    CareerPrediction,
    CareerRole,
    CareerRoleSkill,
    CareerTransition,
    ModelStatus,
    SkillCluster,
    SkillCourse,
    SkillEdge,
    SkillNode,
    SkillRelation,
)
from db.models.community import (
    CARD_NUMBER_SEQUENCE,
    AlumniCard,
    AlumniCardRequest,
    AlumniCardVerification,
    CapsuleRanking,
    CapsuleRankingRun,
    CapsuleReaction,
    CapsuleRelevance,
    CapsuleSource,
    CapsuleView,
    CardRequestStatus,
    CardStatus,
    EngagementHistory,
    EngagementLevel,
    EngagementScore,
    KnowledgeCapsule,
    PersonBadge,
    ReactionKind,
    VerificationMethod,
)
from db.models.enrichment import (
    EnrichmentCacheEntry,
    EnrichmentRateBucket,
    EnrichmentSource,
    Favourite,
    FavouriteKind,
    TasteProfile,
)
from db.models.events import (
    CompanySize,
    EnrichmentStatus,
    EnrichmentTier,
    Event,
    EventOrganizer,
    Goal,
    Person,
    ProgramSession,
    Registration,
    SessionSpeaker,
    Speaker,
)
from db.models.huddles import (
    Huddle,
    HuddleKind,
    HuddleParticipant,
    HuddleStatus,
    LocationShare,
    ParticipantStatus,
)
from db.models.ingest import DatasetUpload, UploadPayload, UploadRowError, UploadStage, UploadStatus
from db.models.networking import (
    Block,
    Connection,
    ConnectionActivity,
    ConnectionFeedback,
    ConnectionNote,
    ConnectionOrigin,
    ConnectionRequest,
    ConnectionStrength,
    FollowUpDraft,
    FollowUpDraftStatus,
    FollowUpSource,
    FollowUpState,
    Message,
    MessageKind,
    MessageThread,
    Notification,
    RecommendationFeedback,
    Report,
    ReportStatus,
    RequestStatus,
)
from db.models.platform import (
    AuditLog,
    ClickDebounce,
    JobRequest,
    JobRequestStatus,
    JobRun,
    JobRunStatus,
    JobTrigger,
    OutboxMessage,
    OutboxStatus,
    WorkerHeartbeat,
)
from db.models.privacy import CategorySnooze, ProfileView, SignalExclusion
from db.models.recommend import MatchControl, Recommendation, RecommendationKind, SessionAction, SessionActionKind
from db.models.reengagement import (
    BehaviorEvent,
    BehaviorMessage,
    BehaviorOrder,
    BehaviorUser,
    ReengagementDecision,
    ReengagementProfile,
)

__all__ = [
    "EMBEDDING_DIM", "Base", "enum_column", "Role", "Account", "TokenPurpose", "AccountToken", "LoginAttempt",
    "JobRunStatus", "JobTrigger", "JobRequestStatus", "AuditLog", "JobRun", "JobRequest", "WorkerHeartbeat",
    "OutboxStatus", "OutboxMessage", "UploadStatus", "UploadStage", "DatasetUpload", "UploadPayload",
    "UploadRowError", "Goal", "CompanySize", "EnrichmentStatus", "EnrichmentTier", "Person", "Event",
    "EventOrganizer", "Registration", "ProgramSession", "Speaker", "SessionSpeaker", "VariantStatus",
    "PersonEmbedding", "TextEmbedding", "PromptVariant", "LLMBatch", "LLMBatchStatus", "LLMCall", "FeedbackReport",
    "ExperimentAssignment", "SessionActionKind", "RecommendationKind", "Recommendation", "MatchControl",
    "SessionAction", "MeetingStatus", "AgendaItem", "Meeting", "Connection", "ConnectionActivity",
    "RecommendationFeedback", "ConnectionFeedback", "Notification", "ConnectionOrigin", "ConnectionStrength",
    "FollowUpState", "RequestStatus", "ConnectionRequest", "ConnectionNote", "MessageKind", "MessageThread",
    "Message", "Huddle", "HuddleParticipant", "EventAnalytics", "Alumnus", "JobPosting", "CourseCompletion",
    "TalentHubSnapshot", "BehaviorUser", "BehaviorOrder", "BehaviorEvent", "BehaviorMessage", "FollowUpDraft",
    "FollowUpDraftStatus", "FollowUpSource", "Block", "Report", "ReportStatus", "ClickDebounce", "HuddleKind",
    "HuddleStatus", "ParticipantStatus", "LocationShare", "SignalExclusion", "CategorySnooze", "ProfileView",
    "EnrichmentSource", "FavouriteKind", "EnrichmentCacheEntry", "EnrichmentRateBucket", "Favourite", "TasteProfile",
    "ReengagementDecision", "ReengagementProfile", "AlumniVisibility", "SkillRelation", "BuildKind", "ModelStatus",
    "AdviceSource", "CareerBuild", "SkillNode", "SkillEdge", "SkillCluster", "CareerMove", "CareerTransition",
    "CareerRole", "CareerRoleSkill", "SkillCourse", "CareerModel", "CareerPrediction", "CARD_NUMBER_SEQUENCE",
    "CardStatus", "CardRequestStatus", "VerificationMethod", "AlumniCard", "AlumniCardRequest",
    "AlumniCardVerification", "CapsuleSource", "ReactionKind", "KnowledgeCapsule", "CapsuleView", "CapsuleReaction",
    "CapsuleRanking", "CapsuleRankingRun", "CapsuleRelevance", "EngagementLevel", "EngagementScore",
    "EngagementHistory", "PersonBadge",
]
