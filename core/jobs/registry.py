"""The job registry: every background job's id, title, description, schedule and body."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.ai.experiments import learning_loop_job
from core.alumni.talent import rebuild_clusters_job
from core.analytics.event_analytics import analytics_job
from core.careers.predictions import CAREER_MODEL_JOB, career_model_job
from core.careers.skill_graph import SKILL_GRAPH_JOB, skill_graph_job
from core.community.capsule_ranking import CAPSULE_RANKINGS_JOB, capsule_rankings_job
from core.community.engagement import ENGAGEMENT_JOB, engagement_job
from core.enrichment.agent import ENRICH_JOB, enrich_profiles_job
from core.enrichment.taste import TRAITS_JOB, taste_traits_job, taste_vectors_job
from core.huddles.generate import (
    PROXIMITY_SCAN_JOB,
    SCAN_JOB,
    SESSION_SCAN_JOB,
    huddle_proximity_scan_job,
    huddle_scan_job,
    huddle_session_scan_job,
)
from core.huddles.lifecycle import STATUS_JOB as HUDDLE_STATUS_JOB
from core.huddles.lifecycle import huddle_status_job
from core.jobs.maintenance import apply_retention_policy, geocode_missing_locations, recover_crashed_work
from core.networking.follow_ups import (
    GENERATE_JOB,
    REMINDER_JOB,
    follow_up_reminders_job,
    generate_follow_ups_job,
)
from core.networking.notifications import EMAIL_JOB, email_notifications_job
from core.networking.reminders import (
    AGENDA_DIGEST_JOB,
    SESSION_REMINDERS_JOB,
    agenda_digest_job,
    session_reminders_job,
)
from core.networking.retention import (
    ARRIVALS_JOB,
    DIGEST_JOB,
    FEEDBACK_JOB,
    connection_arrivals_job,
    feedback_campaign_job,
    monthly_digest_job,
)
from core.platform.job_context import JobContext
from core.recommend.people import (
    COLLECT_BATCHES_JOB,
    REFRESH_ATTENDEE_JOB,
    collect_llm_batches_job,
    embed_profiles_job,
    refresh_attendee_job,
    refresh_job,
)
from core.reengagement.store import REENGAGEMENT_JOB, reengagement_job


@dataclass(frozen=True)
class JobDefinition:
    id: str
    title: str
    description: str
    body: Callable[[JobContext], dict]
    trigger: dict | None  # APScheduler trigger kwargs, e.g. {"trigger": "interval", "hours": 1}; None = on request

    @property
    def schedule_text(self) -> str:
        if self.trigger is None:
            return "on request only"
        kind = self.trigger["trigger"]
        if kind == "interval":
            unit, amount = next((k, v) for k, v in self.trigger.items() if k != "trigger")
            return f"every {amount} {unit}" if amount != 1 else f"every {unit.rstrip('s')}"
        if kind == "cron":
            minute = int(self.trigger.get("minute", 0))
            if "hour" not in self.trigger:
                return f"hourly at minute {minute:02d}"
            at = f"{int(self.trigger['hour']):02d}:{minute:02d} UTC"
            return f"monthly on day {self.trigger['day']} at {at}" if "day" in self.trigger else f"daily at {at}"
        return kind


JOBS: dict[str, JobDefinition] = {
    job.id: job
    for job in [
        JobDefinition(
            "geocode-locations", "Geocode locations",
            "Resolves attendee, alumni and job-posting places still without coordinates with the offline gazetteer.",
            geocode_missing_locations, {"trigger": "interval", "minutes": 30},
        ),
        JobDefinition(
            "embed-profiles", "Embed profiles",
            "Embeds new or changed attendee profiles (cached by content hash) for one event or all events.",
            embed_profiles_job, {"trigger": "cron", "hour": 3, "minute": 45},
        ),
        JobDefinition(
            "talent-clusters", "Rebuild talent hubs",
            "Clusters every located alumnus (DBSCAN, haversine) and keeps the hubs as a snapshot, so the talent "
            "heatmap can show how hubs grew between uploads.",
            rebuild_clusters_job, {"trigger": "cron", "hour": 2, "minute": 30},
        ),
        JobDefinition(
            "refresh-recommendations", "Refresh recommendations",
            "Recomputes every attendee's people, session and speaker recommendations (24 h expiry) for one event "
            "or all events.",
            refresh_job, {"trigger": "cron", "hour": 4, "minute": 0},
        ),
        JobDefinition(
            COLLECT_BATCHES_JOB, "Collect LLM batches",
            "Applies the results of the nightly LLM re-rank batches as they finish: each attendee's list turns "
            "from algorithmic to LLM-ranked; attendees whose request failed keep the algorithmic list.",
            collect_llm_batches_job, {"trigger": "interval", "minutes": 5},
        ),
        JobDefinition(
            REFRESH_ATTENDEE_JOB, "Refresh one attendee",
            "Recomputes one attendee's people, session and speaker recommendations when they check in or ask "
            "for fresh matches (queued from For you; at most once a minute per attendee).",
            refresh_attendee_job, None,
        ),
        JobDefinition(
            ENRICH_JOB, "Enrich profiles",
            "Every 5 minutes: enriches the opted-in attendees who are due (new, changed, asked for it, or a retry) "
            "from GitHub and web search within the hourly rate limits, spreading the rest over time; for one event "
            "when run with --event. Off unless SEARCH_API_URL and SEARCH_API_KEY (or GITHUB_TOKEN) are set.",
            enrich_profiles_job, {"trigger": "interval", "minutes": 5},
        ),
        JobDefinition(
            "event-analytics", "Organizer analytics",
            "Computes each event's networking, session and speaker analytics and caches them for the Analytics "
            "page.", analytics_job, {"trigger": "interval", "hours": 1},
        ),
        JobDefinition(
            "learning-loop", "Feedback analysis and prompt optimizer",
            "Analyses recommendation and connection feedback (score bands, success factors, failure patterns) "
            "and reports which prompt variant wins against control.",
            learning_loop_job,
            {"trigger": "cron", "hour": 5, "minute": 0},
        ),
        JobDefinition(
            "retention-cleanup", "Retention cleanup",
            "Applies the retention policy: hard-deletes people whose 30-day deletion grace is over (with "
            "everything that references them), recommendations older "
            "than a year, and read notifications older than 90 days.",
            apply_retention_policy, {"trigger": "cron", "hour": 3, "minute": 15},
        ),
        JobDefinition(
            "recover-crashed-work", "Recover crashed work",
            "Queues again the uploads and requested jobs whose worker stopped renewing its lease (the queue poll does "
            "this too); after WORK_MAX_ATTEMPTS tries marks them failed, saying why. Closes job runs left 'running' "
            "by a worker that is gone.",
            recover_crashed_work, {"trigger": "interval", "hours": 1},
        ),
        JobDefinition(
            EMAIL_JOB, "Email notifications",
            "Queues an email for each notification of the last 24 hours whose person has email on for its kind "
            "(by default their sign-up consent), when SMTP is configured; the queue pass then sends it.",
            email_notifications_job, {"trigger": "interval", "minutes": 2},
        ),
        JobDefinition(
            GENERATE_JOB, "Post-event follow-ups",
            "Drafts a follow-up message for each side of every connection made at events that ended 24–72 hours "
            "ago (with the LLM when configured, else from a template citing how they met); never twice.",
            generate_follow_ups_job, {"trigger": "interval", "hours": 1},
        ),
        JobDefinition(
            REMINDER_JOB, "Follow-up reminders",
            "Reminds attendees of events that ended within 72 hours about the follow-ups waiting for them, once "
            "per event.",
            follow_up_reminders_job, {"trigger": "cron", "hour": 10, "minute": 0},
        ),
        JobDefinition(
            ARRIVALS_JOB, "Connections attending",
            "Tells each attendee who registered in the last day which of their connections are going to the same "
            "event, and each attendee who checked in how many of their connections are there (once per person, "
            "connection and event).",
            connection_arrivals_job, {"trigger": "interval", "minutes": 5},
        ),
        JobDefinition(
            DIGEST_JOB, "Monthly network digest",
            "On the first of the month, sends each person with news a digest of their network: new connections "
            "in the last 30 days, upcoming events their connections attend, who they are most in touch with.",
            monthly_digest_job, {"trigger": "cron", "day": 1, "hour": 9, "minute": 0},
        ),
        JobDefinition(
            FEEDBACK_JOB, "Connection feedback campaign",
            "For each event that ended 24 to 48 hours ago, asks every attendee who made connections there how "
            "they went; once per event, even with two workers.",
            feedback_campaign_job, {"trigger": "cron", "hour": 10, "minute": 0},
        ),
        JobDefinition(
            SESSION_REMINDERS_JOB, "Session and meeting reminders",
            "Reminds attendees 15 minutes before each session in their agenda or bookmarks, and both people "
            "before each accepted 1:1 meeting (once per person and session or meeting).",
            session_reminders_job, {"trigger": "interval", "minutes": 5},
        ),
        JobDefinition(
            AGENDA_DIGEST_JOB, "Morning agenda digest",
            "Runs hourly; for each event running today where it is now 07:00 to 07:59 local time (the event's "
            "time zone), sends each attendee with sessions or meetings that day one list of them.",
            agenda_digest_job, {"trigger": "cron", "minute": 0},
        ),
        JobDefinition(
            HUDDLE_STATUS_JOB, "Huddle status",
            "Every minute: at a huddle's start, cancels it (telling the accepted people) when fewer than its minimum "
            "said they'd be there, otherwise starts it; after its end and check-in window, completes it, marks "
            "accepted people who never checked in as no-shows and connects every pair who checked in.",
            huddle_status_job, {"trigger": "interval", "minutes": 1},
        ),
        JobDefinition(
            SCAN_JOB, "Huddle scan",
            "For events in progress (or the event given, whatever its dates): invites groups of 3–8 attendees whose "
            "problem statements say much the same thing to a 15-minute huddle at the earliest time none of them is "
            "busy, and groups of about 5 from each session that ended in the last 5 minutes to a deep dive.",
            huddle_scan_job, {"trigger": "interval", "minutes": 30},
        ),
        JobDefinition(
            SESSION_SCAN_JOB, "Session huddles",
            "Every 5 minutes: splits the attendees of each session that just ended (at least 6) into groups of about "
            "5 by profile similarity and invites them to a deep dive outside the room, once per session.",
            huddle_session_scan_job, {"trigger": "interval", "minutes": 5},
        ),
        JobDefinition(
            PROXIMITY_SCAN_JOB, "Nearby huddles",
            "Every minute: where three or more people shared the same venue zone in the last 20 minutes and share an "
            "interest, invites them to a quick chat there in a few minutes.",
            huddle_proximity_scan_job, {"trigger": "interval", "minutes": 1},
        ),
        JobDefinition(
            "taste-vectors", "Taste vectors",
            "Recomputes the taste vector (rating- and recency-weighted mean of the favourite titles' embeddings) of "
            "the person asked for, or of everyone whose favourites changed; each title is embedded once.",
            taste_vectors_job, {"trigger": "interval", "hours": 1},
        ),
        JobDefinition(
            TRAITS_JOB, "Taste traits",
            "Weekly, with an LLM configured: infers a few taste traits and a one-line summary from each person's top "
            "15 favourites (temperature 0.2, validated); unchanged favourites are not asked about again that week.",
            taste_traits_job, {"trigger": "interval", "weeks": 1},
        ),
        JobDefinition(
            REENGAGEMENT_JOB, "Re-engagement profiles",
            "Nightly and after every behavioural upload: recomputes each community member's re-engagement profile "
            "(seed 002's calculated fields, summary and send / ask / wait decision) as of today, writing only the "
            "members whose inputs changed; with an LLM configured, polishes up to 200 changed summaries a run.",
            reengagement_job, {"trigger": "cron", "hour": 3, "minute": 30},
        ),
        JobDefinition(
            SKILL_GRAPH_JOB, "Skill graph",
            "Nightly and after alumni, job-market and educational uploads: rebuilds the skill graph from the skills of "
            "alumni, job postings, courses and attendees (normalised names, related skills by meaning and by "
            "co-occurrence, Louvain clusters, demand trends of recent postings) and fills the alumni's skill keys for "
            "search; skipped when nothing changed since the last build, except when run by hand.",
            skill_graph_job, {"trigger": "cron", "hour": 1, "minute": 30},
        ),
        JobDefinition(
            CAREER_MODEL_JOB, "Career model",
            "Nightly and after alumni, job-market and educational uploads: rebuilds the career moves and transitions, "
            "trains a new version of the next-role model when its inputs changed (always when run by hand; the "
            "previous version retires), and stores the top next roles with advice for every alumnus who has an "
            "account; with an LLM configured, it writes up to 100 changed advice paragraphs a run.",
            career_model_job, {"trigger": "cron", "hour": 2, "minute": 0},
        ),
        JobDefinition(
            ENGAGEMENT_JOB, "Engagement scores",
            "Nightly, and when an admin asks on the Engagement page: recalculates everyone's engagement score (points "
            "per factor with their caps, the decay for inactivity, the streak), appends a history row where a score "
            "changed, awards new badges with a notification each and re-ranks the all-time leaderboard.",
            engagement_job, {"trigger": "cron", "hour": 2, "minute": 40},
        ),
        JobDefinition(
            CAPSULE_RANKINGS_JOB, "Capsule rankings",
            "Hourly, after capsule uploads and when a reader opens Capsules without a fresh ranking: ranks every "
            "capsule for each reader whose ranking is older than an hour or older than the capsules (skill match, "
            "engagement, author credibility, recency, relevance to their profile) and stores their top 50; with an "
            "LLM configured, it rates the best candidates of up to 20 readers a run.",
            capsule_rankings_job, {"trigger": "cron", "minute": 15},
        ),
    ]
}


class JobNotFound(KeyError):
    pass


def get_job(job_id: str) -> JobDefinition:
    try:
        return JOBS[job_id]
    except KeyError:
        raise JobNotFound(f"Unknown job '{job_id}'. Known jobs: {', '.join(sorted(JOBS))}.") from None


