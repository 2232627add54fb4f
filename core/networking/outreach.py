"""Safe outreach (seed 004 §6): a daily cap on new requests, pings and meeting requests that depends on the
sender's account age and on how often their earlier outreach got a reply or an accept."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from core.platform.settings import Settings
from db.models import (
    Account,
    ConnectionRequest,
    Meeting,
    Message,
    MessageKind,
    MessageThread,
    Person,
    RequestStatus,
)


class OutreachRefused(ValueError):
    """The sender reached today's outreach cap; the message says when it resets."""


@dataclass(frozen=True)
class OutreachRecord:
    """What the cap is computed from."""

    account_age_days: float | None  # None: no login account (the cap for established accounts applies)
    sent_before_today: int
    answered_before_today: int
    sent_today: int


@dataclass(frozen=True)
class OutreachLimits:
    daily: int = 20
    new_account_daily: int = 5
    new_account_days: int = 7
    low_response_share: float = 0.2
    low_response_min_sent: int = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> OutreachLimits:
        return cls(settings.outreach_daily_cap, settings.outreach_new_account_daily_cap,
                   settings.outreach_new_account_days, settings.outreach_low_response_share,
                   settings.outreach_low_response_min_sent)


def daily_cap(record: OutreachRecord, limits: OutreachLimits) -> int:
    """Today's cap: the new-account cap in the first days, else the full one; halved (at least 2) when at least
    `low_response_min_sent` earlier messages got a reply or an accept less often than `low_response_share`."""
    young = record.account_age_days is not None and record.account_age_days < limits.new_account_days
    cap = limits.new_account_daily if young else limits.daily
    if (record.sent_before_today >= limits.low_response_min_sent
            and record.answered_before_today < limits.low_response_share * record.sent_before_today):
        cap = max(2, cap // 2)
    return cap


def start_of_day(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date(), time(0), UTC)


def outreach_record(session: Session, person_id: int, now: datetime) -> OutreachRecord:
    """The sender's account age, earlier outreach and how much of it was answered, and today's outreach."""
    today = start_of_day(now)
    created = session.scalar(select(func.min(Account.created_at)).where(Account.person_id == person_id))
    age = (now - created).total_seconds() / 86400 if created else None

    def counted(query, when):
        return (session.scalar(select(func.count()).select_from(query.where(when < today).subquery())) or 0,
                session.scalar(select(func.count()).select_from(query.where(when >= today).subquery())) or 0)

    requests = select(ConnectionRequest.id, ConnectionRequest.status).where(ConnectionRequest.requester_id == person_id)
    meetings = select(Meeting.id, Meeting.status).where(Meeting.requester_id == person_id)
    pings = select(Message.id, Message.thread_id, Message.created_at).where(
        Message.sender_id == person_id, Message.kind == MessageKind.PING)
    request_before, request_today = counted(requests, ConnectionRequest.created_at)
    meeting_before, meeting_today = counted(meetings, Meeting.created_at)
    ping_before, ping_today = counted(pings, Message.created_at)
    reply = aliased(Message)
    answered = (session.scalar(select(func.count()).select_from(ConnectionRequest).where(
        ConnectionRequest.requester_id == person_id, ConnectionRequest.created_at < today,
        ConnectionRequest.status == RequestStatus.ACCEPTED)) or 0)
    answered += session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.requester_id == person_id, Meeting.created_at < today, Meeting.status == "accepted")) or 0
    answered += session.scalar(select(func.count()).select_from(Message).join(
        MessageThread, MessageThread.id == Message.thread_id).where(
        Message.sender_id == person_id, Message.kind == MessageKind.PING, Message.created_at < today,
        exists().where(and_(reply.thread_id == Message.thread_id, reply.sender_id != person_id,
                            reply.created_at > Message.created_at)))) or 0
    return OutreachRecord(age, request_before + meeting_before + ping_before, answered,
                          request_today + meeting_today + ping_today)


def check_outreach(session: Session, *, person_id: int, now: datetime, limits: OutreachLimits) -> None:
    """Refuse one more request, ping or meeting request while the moderators suspended the sender's outreach (saying
    until when), or past today's cap (saying when it resets)."""
    suspended_until = session.scalar(select(Person.outreach_suspended_until).where(Person.id == person_id))
    if suspended_until is not None and suspended_until > now:
        raise OutreachRefused(
            f"The moderators paused your outreach until {suspended_until:%d %b %Y %H:%M} UTC: until then you cannot "
            "send connection requests, pings or meeting requests. You can still reply to people who write to you.")
    record = outreach_record(session, person_id, now)
    cap = daily_cap(record, limits)
    if record.sent_today >= cap:
        resets = start_of_day(now) + timedelta(days=1)
        hours, rest = divmod(int((resets - now).total_seconds()) // 60, 60)
        raise OutreachRefused(
            f"You have reached today's limit of {cap} new requests, pings and meeting requests. It resets at "
            f"00:00 UTC, in {hours} h {rest} min. Until then, reply to the people who answered you.")
