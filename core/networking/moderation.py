"""Blocks, reports and the admins' moderation queue (seed 004 §5–6): a person can block or report another; admins
warn, pause outreach, disable the account or dismiss, each resolution audit-logged."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, aliased

from core.networking.messages import plain_text
from core.networking.notifications import NotificationKind, notify
from core.platform.audit import record_audit
from core.platform.clock import Clock
from db.models import (
    Account,
    Block,
    ConnectionRequest,
    Meeting,
    MeetingStatus,
    Person,
    Report,
    ReportStatus,
    RequestStatus,
)
from db.models.accounts import Role

DETAILS_LIMIT = 1000
DEFAULT_SUSPENSION_DAYS = 7
MAX_SUSPENSION_DAYS = 365


class ModerationError(ValueError):
    """A block, report or resolution that cannot be done; the message says why."""


class ReportReason(StrEnum):
    SPAM = "spam"
    HARASSMENT = "harassment"
    INAPPROPRIATE = "inappropriate"
    FAKE_PROFILE = "fake_profile"
    OTHER = "other"


class ReportContext(StrEnum):
    """Where the reporter saw the person."""

    CARD = "card"
    THREAD = "thread"
    REQUEST = "request"
    MEETING = "meeting"


class ModerationAction(StrEnum):
    WARN = "warn"
    SUSPEND_OUTREACH = "suspend_outreach"
    DISABLE_ACCOUNT = "disable_account"
    DISMISS = "dismiss"


REASON_LABELS = {ReportReason.SPAM: "Spam", ReportReason.HARASSMENT: "Harassment",
                 ReportReason.INAPPROPRIATE: "Inappropriate content", ReportReason.FAKE_PROFILE: "Fake profile",
                 ReportReason.OTHER: "Something else"}
CONTEXT_LABELS = {ReportContext.CARD: "A recommendation card", ReportContext.THREAD: "A message thread",
                  ReportContext.REQUEST: "A connection request", ReportContext.MEETING: "A meeting request"}
ACTION_LABELS = {ModerationAction.WARN: "Warned", ModerationAction.SUSPEND_OUTREACH: "Outreach suspended",
                 ModerationAction.DISABLE_ACCOUNT: "Account disabled", ModerationAction.DISMISS: "Dismissed"}


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason.replace("_", " ").capitalize())


def context_label(context: str) -> str:
    return CONTEXT_LABELS.get(context, context.replace("_", " ").capitalize())


def action_label(action: str | None) -> str:
    return ACTION_LABELS.get(action, (action or "").replace("_", " ").capitalize())


# ---- blocks ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BlockOutcome:
    """What a block did: whether it is new, and how many pending requests and meetings it closed."""

    created: bool
    closed_requests: int
    closed_meetings: int
    message: str


@dataclass(frozen=True)
class BlockedPerson:
    person_id: int
    name: str
    blocked_at: datetime


def _two_people(session: Session, me: int, other: int) -> tuple[Person, Person]:
    """Both people, row-locked in id order, so a block and a request, ping or meeting request between them at the
    same moment run one after the other (those lock the same rows) and the later one sees the other."""
    if me == other:
        raise ModerationError("You cannot block or report yourself.")
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(sorted((me, other))))
                                               .order_by(Person.id).with_for_update(key_share=True))}
    if me not in people or other not in people or people[other].deleted_at is not None:
        raise ModerationError("That person is no longer on GlobalConnect.")
    return people[me], people[other]


def _either_way(column_a, column_b, a: int, b: int):
    return or_(and_(column_a == a, column_b == b), and_(column_a == b, column_b == a))


def block_person(session: Session, *, blocker_id: int, blocked_id: int, clock: Clock) -> BlockOutcome:
    """Block someone: from now on neither sees the other anywhere, and nothing new can pass between them.

    Idempotent. What was pending between them is closed without telling the blocked person: connection requests
    either way (the blocker's own are withdrawn, theirs declined) and meeting requests and upcoming meetings either
    way (cancelled). Existing connections and messages stay stored, hidden, so an unblock brings them back."""
    now = clock.now()
    _, other = _two_people(session, blocker_id, blocked_id)
    created = session.scalar(insert(Block).values(blocker_id=blocker_id, blocked_id=blocked_id, created_at=now)
                             .on_conflict_do_nothing().returning(Block.blocker_id)) is not None
    pending = and_(ConnectionRequest.status == RequestStatus.PENDING,
                   _either_way(ConnectionRequest.requester_id, ConnectionRequest.recipient_id, blocker_id, blocked_id))
    withdrawn = session.execute(update(ConnectionRequest).where(pending, ConnectionRequest.requester_id == blocker_id)
                                .values(status=RequestStatus.WITHDRAWN.value, responded_at=now)).rowcount
    declined = session.execute(update(ConnectionRequest).where(pending, ConnectionRequest.requester_id == blocked_id)
                               .values(status=RequestStatus.DECLINED.value, responded_at=now)).rowcount
    meetings = session.execute(update(Meeting).where(
        _either_way(Meeting.requester_id, Meeting.recipient_id, blocker_id, blocked_id),
        or_(Meeting.status == MeetingStatus.PENDING,
            and_(Meeting.status == MeetingStatus.ACCEPTED, Meeting.starts_at > now)))
        .values(status=MeetingStatus.CANCELLED.value, responded_at=now)).rowcount
    session.flush()
    message = (f"You blocked {other.full_name}: you will no longer see each other. Undo it on your Account page."
               if created else f"You had already blocked {other.full_name}.")
    return BlockOutcome(created, withdrawn + declined, meetings, message)


def unblock_person(session: Session, *, blocker_id: int, blocked_id: int) -> bool:
    """Lift this person's block of `blocked_id`; True when there was one. A block by the other person stays."""
    removed = session.execute(delete(Block).where(Block.blocker_id == blocker_id,
                                                  Block.blocked_id == blocked_id)).rowcount
    session.flush()
    return bool(removed)


def my_blocks(session: Session, person_id: int) -> list[BlockedPerson]:
    """The people this person blocked, most recent first (not those who blocked them: that stays private)."""
    rows = session.execute(select(Person.id, Person.first_name, Person.last_name, Block.created_at)
                           .join(Block, Block.blocked_id == Person.id).where(Block.blocker_id == person_id)
                           .order_by(Block.created_at.desc(), Person.id)).all()
    return [BlockedPerson(pid, f"{first} {last}".strip(), at) for pid, first, last, at in rows]


# ---- reports --------------------------------------------------------------------------------------------------------

def report_person(session: Session, *, reporter_id: int, reported_id: int, context: str, reason: str,
                  clock: Clock, details: str = "", event_id: int | None = None, also_block: bool = False) -> Report:
    """Report someone to the admins, with a reason and optional details (at most DETAILS_LIMIT characters); with
    `also_block`, block them in the same step. One open report per reporter and person: a second is refused."""
    try:
        context, reason = ReportContext(context), ReportReason(reason)
    except ValueError:
        raise ModerationError("Pick a reason for your report.") from None
    text = plain_text(details)
    if len(text) > DETAILS_LIMIT:
        raise ModerationError(f"Details are at most {DETAILS_LIMIT:,} characters; yours have {len(text):,}. "
                              "Shorten them a little.")
    if reason == ReportReason.OTHER and not text:
        raise ModerationError("Say in a few words what happened: the reason 'Something else' needs details.")
    _, other = _two_people(session, reporter_id, reported_id)
    already = session.scalar(select(Report.id).where(Report.reporter_id == reporter_id,
                                                     Report.reported_id == reported_id,
                                                     Report.status == ReportStatus.OPEN).limit(1))
    if already is not None:
        raise ModerationError(f"You already reported {other.full_name}; the moderators will look at it soon.")
    report = Report(reporter_id=reporter_id, reported_id=reported_id, event_id=event_id, context=context.value,
                    reason=reason.value, details=text, status=ReportStatus.OPEN.value, created_at=clock.now())
    session.add(report)
    session.flush()
    if also_block:
        block_person(session, blocker_id=reporter_id, blocked_id=reported_id, clock=clock)
    return report


@dataclass(frozen=True)
class ReportView:
    """One report as the moderation page shows it."""

    report_id: int
    reporter_id: int
    reporter_name: str
    reported_id: int
    reported_name: str
    context: str
    reason: str
    details: str
    created_at: datetime
    earlier_reports: int  # reports against the same person made before this one, whatever their status
    status: str
    resolution: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    outreach_suspended_until: datetime | None

    @property
    def context_label(self) -> str:
        return context_label(self.context)

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)

    @property
    def resolution_label(self) -> str:
        return action_label(self.resolution)


def _report_views(session: Session, *, status: ReportStatus, limit: int) -> list[ReportView]:
    reporter, reported, earlier = aliased(Person), aliased(Person), aliased(Report)
    earlier_count = (select(func.count()).where(earlier.reported_id == Report.reported_id,
                                                or_(earlier.created_at < Report.created_at,
                                                    and_(earlier.created_at == Report.created_at,
                                                         earlier.id < Report.id)))
                     .correlate(Report).scalar_subquery())
    query = (select(Report, reporter.first_name, reporter.last_name, reported.first_name, reported.last_name,
                    reported.outreach_suspended_until, Account.username, earlier_count)
             .join(reporter, reporter.id == Report.reporter_id).join(reported, reported.id == Report.reported_id)
             .outerjoin(Account, Account.id == Report.resolved_by).where(Report.status == status))
    query = (query.order_by(Report.created_at, Report.id) if status == ReportStatus.OPEN
             else query.order_by(Report.resolved_at.desc(), Report.id.desc()))
    return [ReportView(r.id, r.reporter_id, f"{rf} {rl}".strip(), r.reported_id, f"{df} {dl}".strip(), r.context,
                       r.reason, r.details, r.created_at, count, r.status, r.resolution, admin, r.resolved_at,
                       suspended)
            for r, rf, rl, df, dl, suspended, admin, count in session.execute(query.limit(limit))]


def moderation_queue(session: Session, *, limit: int = 200) -> list[ReportView]:
    """Open reports, oldest first, with both names, the context and how often the person was reported before."""
    return _report_views(session, status=ReportStatus.OPEN, limit=limit)


def resolved_reports(session: Session, *, limit: int = 100) -> list[ReportView]:
    """Resolved reports, most recently resolved first, with what was done and by whom."""
    return _report_views(session, status=ReportStatus.RESOLVED, limit=limit)


def _require_admin(session: Session, account_id: int) -> Account:
    admin = session.get(Account, account_id)
    if admin is None or admin.disabled or Role.ADMIN.value not in (admin.roles or []):
        raise ModerationError("Only admins can resolve reports.")
    return admin


def resolve_report(session: Session, *, report_id: int, action: str, admin_account_id: int, clock: Clock,
                   suspend_days: int = DEFAULT_SUSPENSION_DAYS) -> Report:
    """Resolve an open report with one action, once, and audit-log it.

    - warn: the reported person gets a MODERATION notification;
    - suspend outreach: no requests, pings or meeting requests until now + `suspend_days` (a longer suspension
      already in place stays), and they are told until when;
    - disable account: every login account of the person is disabled and its sessions end (session version up);
    - dismiss: nothing happens to the person.
    The status moves with one UPDATE ... WHERE status = 'open': of two admins resolving at once the second is
    refused and told what the first did."""
    try:
        action = ModerationAction(action)
    except ValueError:
        raise ModerationError(f"Unknown action '{action}'.") from None
    if action == ModerationAction.SUSPEND_OUTREACH and not 1 <= suspend_days <= MAX_SUSPENSION_DAYS:
        raise ModerationError(f"Suspend outreach for 1 to {MAX_SUSPENSION_DAYS} days.")
    _require_admin(session, admin_account_id)
    report = session.get(Report, report_id)
    if report is None:
        raise ModerationError("That report does not exist.")
    if action == ModerationAction.DISABLE_ACCOUNT and session.scalar(select(Account.id).where(
            Account.id == admin_account_id, Account.person_id == report.reported_id)) is not None:
        raise ModerationError("You cannot disable your own account; ask another admin.")
    now = clock.now()
    changed = session.execute(update(Report).where(Report.id == report_id, Report.status == ReportStatus.OPEN)
                              .values(status=ReportStatus.RESOLVED.value, resolution=action.value,
                                      resolved_by=admin_account_id, resolved_at=now)
                              .returning(Report.id)).first()
    session.refresh(report)
    if changed is None:
        raise ModerationError(f"This report was already resolved: {action_label(report.resolution).lower()}.")
    person = session.get(Person, report.reported_id)
    details = {"report_id": report.id, "reported_person_id": person.id, "reported_name": person.full_name,
               "reporter_person_id": report.reporter_id, "reason": report.reason, "action": action.value}
    if action == ModerationAction.WARN:
        notify(session, person_id=person.id, kind=NotificationKind.MODERATION, now=now,
               title="A reminder from the moderators",
               body=(f"Someone reported your outreach ({reason_label(report.reason).lower()}). Please keep "
                     "requests, pings and messages relevant and respectful; repeated reports can pause your "
                     "outreach or disable your account."),
               dedupe_key=f"moderation:{report.id}:warn")
    elif action == ModerationAction.SUSPEND_OUTREACH:
        until = max(now + timedelta(days=suspend_days), person.outreach_suspended_until or now)
        person.outreach_suspended_until = until
        details |= {"days": suspend_days, "until": until.isoformat()}
        notify(session, person_id=person.id, kind=NotificationKind.MODERATION, now=now,
               title="Your outreach is paused",
               body=(f"After a report, you cannot send new connection requests, pings or meeting requests until "
                     f"{until:%d %b %Y %H:%M} UTC. You can still answer people who write to you."),
               dedupe_key=f"moderation:{report.id}:suspend")
    elif action == ModerationAction.DISABLE_ACCOUNT:
        accounts = list(session.scalars(select(Account).where(Account.person_id == person.id)))
        for account in accounts:
            account.disabled = True
            account.session_version += 1  # every login cookie of the account stops working at once
            record_audit(session, actor_id=admin_account_id, action="account.disabled", target_type="account",
                         target_id=account.id, details={"username": account.username, "report_id": report.id})
        details["accounts"] = [a.username for a in accounts]
    record_audit(session, actor_id=admin_account_id, action=f"moderation.{action.value}", target_type="report",
                 target_id=report.id, details=details, at=now)
    session.flush()
    return report
