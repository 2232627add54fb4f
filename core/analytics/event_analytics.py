"""Organizer analytics per event (seed 000 §9, seed 001 analytics): computed by an hourly job and cached as JSON."""
from __future__ import annotations

import csv
import io
import math
from collections import Counter
from datetime import datetime

import numpy as np
from sqlalchemy import and_, distinct, exists, func, or_, select, union
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.ai.embeddings import Embedder, embed_texts
from core.analytics.benchmarks import benchmark_panel, huddle_panel
from core.analytics.report_pdf import Chart, ReportSection, Table, analytics_pdf
from core.events import visibility
from core.events.labels import goal_label
from core.ingest.tabular import safe_csv_cell
from core.platform.job_context import JobContext
from db.filters import in_values
from db.models import (
    Block,
    Connection,
    ConnectionFeedback,
    ConnectionRequest,
    EnrichmentStatus,
    Event,
    EventAnalytics,
    FollowUpDraft,
    FollowUpDraftStatus,
    Huddle,
    HuddleKind,
    HuddleParticipant,
    HuddleStatus,
    Meeting,
    Message,
    MessageKind,
    MessageThread,
    ParticipantStatus,
    Person,
    ProgramSession,
    Recommendation,
    RecommendationKind,
    Registration,
    Report,
    RequestStatus,
    SessionAction,
    Speaker,
)

TOP = 10
# The person-recommendation funnel, widest first. The cache is JSONB, which keeps no key order, so readers put the
# stages back in this order (funnel_steps) rather than trusting the stored one.
FUNNEL_STAGES = ("generated", "viewed", "pinged", "connected")
ACTIVITY_KINDS = ("views", "pings", "connections", "meetings", "bookmarks")  # the series of each activity row
ROW_LABELS = ("session", "speaker", "interest", "pair", "day")  # the key that names a row of a list metric
GAP_SIMILARITY = 0.4  # an interest no session text reaches this closely has no session
ANALYTICS_PARTICIPATION = visibility.ANALYTICS_PARTICIPATION  # the consent key (people.consents)
SCORE_BANDS = (("low (0–50)", 0, 50), ("medium (51–75)", 51, 75), ("high (76–100)", 76, 100))


def _rate(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def compute_event_analytics(session: Session, *, event_id: int, now: datetime,
                            embedder: Embedder | None = None) -> dict:
    """Every networking, session and speaker metric of one event, as JSON-ready data.

    People who turned analytics participation off (seed 000 §11.4) count only in the anonymous attendee total:
    their profiles, connections and actions feed no list, rate or interest here."""
    people = list(session.scalars(select(Person).join(Registration, Registration.person_id == Person.id)
                                  .where(Registration.event_id == event_id, visibility.live(Person))))
    participating = analytics_participants(people)
    by_id = {p.id: p for p in participating}
    return {"computed_at": now.isoformat(),
            "networking": _networking(session, event_id, participating, by_id, attendees=len(people)),
            "sessions": _sessions(session, event_id, participating, embedder),
            "speakers": _speakers(session, event_id), "activity": _activity(session, event_id),
            "huddles": _huddles(session, event_id)}


def analytics_participants(people: list[Person]) -> list[Person]:
    """The people whose data organizer analytics may use: all but those who set analytics participation off."""
    return [p for p in people if (p.consents or {}).get(ANALYTICS_PARTICIPATION) is not False]


def _networking(session: Session, event_id: int, people: list[Person], by_id: dict[int, Person], *,
                attendees: int) -> dict:
    opted_in = [p for p in people if p.enrichment_status != EnrichmentStatus.OPTED_OUT and p.allow_enrichment]
    enriched = [p for p in opted_in if p.enrichment_status == EnrichmentStatus.COMPLETED]
    recs = session.execute(select(
        func.count(), func.count(Recommendation.viewed_at), func.count(Recommendation.pinged_at),
        func.count(Recommendation.connected_at)).where(Recommendation.event_id == event_id,
                                                       Recommendation.kind == RecommendationKind.PERSON)).one()
    connections = session.execute(select(Connection.person_a_id, Connection.person_b_id).where(
        Connection.event_id == event_id, Connection.status == "active")).all()
    meetings = Counter(session.scalars(select(Meeting.status).where(Meeting.event_id == event_id)))
    requested = sum(meetings.values())
    interests: Counter = Counter()
    goal_pairs: Counter = Counter()
    for a, b in connections:
        if a in by_id and b in by_id:
            interests.update({i.lower() for i in by_id[a].interests} & {i.lower() for i in by_id[b].interests})
            goal_pairs.update(" + ".join(sorted((g1, g2))) for g1 in by_id[a].goals for g2 in by_id[b].goals)
    huddles = session.scalars(select(Huddle.id).where(Huddle.event_id == event_id, Huddle.status != "cancelled")).all()
    invites = Counter(session.scalars(
        select(HuddleParticipant.status).where(in_values(HuddleParticipant.huddle_id, huddles))))
    joined = invites["accepted"] + invites["attended"]
    connection_ids = session.scalars(select(Connection.id).where(Connection.event_id == event_id)).all()
    feedback = session.execute(select(func.count(), func.count().filter(ConnectionFeedback.will_follow_up))
                               .where(in_values(ConnectionFeedback.connection_id, connection_ids))).one()
    return {
        "attendees": attendees, "opted_in_enrichment": len(opted_in), "enriched": len(enriched),
        "enrichment_rate": _rate(len(enriched), len(opted_in)),
        "funnel": {"generated": recs[0], "viewed": recs[1], "pinged": recs[2], "connected": recs[3]},
        "view_rate": _rate(recs[1], recs[0]), "connections": len(connections),
        "connections_per_attendee": _rate(len(connections), attendees),
        "meetings_requested": requested, "meetings_accepted": meetings["accepted"],
        "meeting_accept_rate": _rate(meetings["accepted"], requested),
        "huddles_formed": len(huddles), "huddle_invites": sum(invites.values()),
        "huddle_accept_rate": _rate(joined, sum(invites.values())),
        "huddle_attend_rate": _rate(invites["attended"], joined),
        "avg_huddle_size": _rate(joined, len(huddles)),
        "connection_feedback": feedback[0], "will_follow_up": feedback[1],
        "top_interests": [{"interest": k, "count": v} for k, v in interests.most_common(TOP)],
        "top_goal_pairs": [{"pair": k, "count": v} for k, v in goal_pairs.most_common(TOP)],
        **_after_the_match(session, event_id, by_id, connections),
    }


# A participant who said yes: accepted, then checked in or not. "no_show" is only set on someone who had accepted.
HUDDLE_JOINED = (ParticipantStatus.ACCEPTED.value, ParticipantStatus.ATTENDED.value, ParticipantStatus.NO_SHOW.value)
HUDDLE_CHECKED = (ParticipantStatus.ATTENDED.value, ParticipantStatus.NO_SHOW.value)


def _huddles(session: Session, event_id: int) -> dict:
    """The huddle metrics of seed 000 §6.8, from the huddle and participant rows of the event.

    - formed: huddles not cancelled (by kind too); cancelled and completed are counted apart. Every other figure
      reads the participants of formed huddles only.
    - invite → accept: participants who said yes (accepted, attended or no-show) ÷ all invited.
    - accept → attend: participants who attended ÷ those who said yes, both of huddles that have started (in
      progress or completed), so the people of a huddle still to come do not count as absent.
    - average size: per huddle, the people who attended once attendance is recorded for it (anyone attended or was
      marked no-show), otherwise the people who said yes; averaged over the huddles with at least one person
      (None when there is none). So the figure is a forecast before a huddle meets and a count after.
    - connections per huddle: active connections of the event whose source is a huddle ÷ completed huddles.
    - repeat joins: people who said yes to two or more huddles ÷ people who said yes to at least one.
    """
    huddles = session.execute(select(Huddle.id, Huddle.kind, Huddle.status).where(Huddle.event_id == event_id)).all()
    formed = {huddle_id: kind for huddle_id, kind, status in huddles if status != HuddleStatus.CANCELLED.value}
    held = {huddle_id for huddle_id, _, status in huddles
            if status in (HuddleStatus.IN_PROGRESS.value, HuddleStatus.COMPLETED.value)}
    rows = session.execute(select(HuddleParticipant.huddle_id, HuddleParticipant.person_id, HuddleParticipant.status)
                           .where(in_values(HuddleParticipant.huddle_id, formed))).all()
    per_huddle: dict[int, Counter] = {huddle_id: Counter() for huddle_id in formed}
    for huddle_id, _, status in rows:
        per_huddle[huddle_id][status] += 1
    sizes = []
    for counts in per_huddle.values():
        recorded = any(counts[status] for status in HUDDLE_CHECKED)
        size = counts[ParticipantStatus.ATTENDED.value] if recorded else sum(counts[s] for s in HUDDLE_JOINED)
        if size:
            sizes.append(size)
    joined = sum(1 for _, _, status in rows if status in HUDDLE_JOINED)
    attended = sum(1 for _, _, status in rows if status == ParticipantStatus.ATTENDED.value)
    joined_held = sum(1 for huddle_id, _, status in rows if huddle_id in held and status in HUDDLE_JOINED)
    joins_per_person = Counter(person_id for _, person_id, status in rows if status in HUDDLE_JOINED)
    repeaters = sum(1 for joins in joins_per_person.values() if joins >= 2)
    completed = sum(1 for _, _, status in huddles if status == HuddleStatus.COMPLETED.value)
    connections = session.scalar(select(func.count()).select_from(Connection).where(
        Connection.event_id == event_id, Connection.source == "huddle", Connection.status == "active")) or 0
    kinds = Counter(formed.values())
    return {
        "formed": len(formed), "completed": completed,
        "cancelled": sum(1 for _, _, status in huddles if status == HuddleStatus.CANCELLED.value),
        "by_kind": {kind.value: kinds[kind.value] for kind in HuddleKind},
        "invites": len(rows), "accepted": joined, "attended": attended,
        "accepted_in_held": joined_held, "invite_accept_rate": _rate(joined, len(rows)),
        "accept_attend_rate": _rate(attended, joined_held),
        "sized_huddles": len(sizes), "avg_size": round(sum(sizes) / len(sizes), 2) if sizes else None,
        "huddle_connections": connections, "connections_per_huddle": _rate(connections, completed),
        "people_accepted": len(joins_per_person), "people_repeat": repeaters,
        "repeat_join_rate": _rate(repeaters, len(joins_per_person)),
    }


def huddle_metrics(huddles: dict | None) -> list[tuple[str, str, str]]:
    """The huddle counts beside the §6.8 targets as (label, value, how it is counted); empty for a cache computed
    before the huddle metrics existed."""
    if not huddles:
        return []
    kinds = ", ".join(f"{huddles['by_kind'].get(kind.value, 0)} {kind.value}" for kind in HuddleKind)
    return [
        ("Huddles formed", f"{huddles['formed']:,}", f"Not cancelled: {kinds}"),
        ("Completed", f"{huddles['completed']:,}", "Huddles that met and were closed"),
        ("Cancelled", f"{huddles['cancelled']:,}", "Huddles cancelled by the organizer or for too few people"),
        ("Invitations", f"{huddles['invites']:,}",
         f"{huddles['accepted']:,} accepted, {huddles['attended']:,} of them checked in"),
    ]


def _live_attendees(event_id: int):
    """The ids of the event's registered people who are not deleted and take part in analytics, as a subquery."""
    return (select(Registration.person_id).join(Person, Person.id == Registration.person_id)
            .where(Registration.event_id == event_id, visibility.live(Person),
                   visibility.takes_part_in_analytics(Person)))


def _after_the_match(session: Session, event_id: int, by_id: dict[int, Person],
                     connections: list[tuple[int, int]]) -> dict:
    """What attendees did with their matches (seed 000 §7.10, §9.1; seed 004 §7). Every row counts only when all
    the people on it are live (not deleted) attendees of the event; rows are tied to the event by their event_id
    (message rows by their thread's event_id).

    - pings: messages of kind ping; messages: messages of kind message or follow_up (pings and the notes of
      connection requests are not conversation), with the number of distinct attendees who wrote one.
    - connection requests sent (any status) and accepted, with the accept rate.
    - introductions: people recommendations of the event the viewer was shown (viewed_at set); one is accepted
      when an accepted connection request carries its id, or when the recommended pair holds an active connection
      made at the event (whatever way they connected).
    - follow-ups: follow-up drafts of the event with status sent, and those of them answered (answered_at set);
      the sent rate is attendees who sent at least one ÷ attendees in an active connection made at the event; the
      response rate is answered ÷ sent.
    - reports per block: reports with the event's id or between two attendees ÷ blocks between two attendees
      (None, "no blocks", when there are none). Blocks carry no event, so one block counts at every shared event.
    - diversity: see industry_diversity, over both sides of the active connections made at the event.
    - active networkers: attendees who sent a ping, a message or a connection request at the event, or are in an
      active connection made at it.
    """
    live = _live_attendees(event_id)
    # Connections whose two people are live attendees: the base of the people-level rates.
    pairs = [(a, b) for a, b in connections if a in by_id and b in by_id]
    connected_people = {p for pair in pairs for p in pair}

    conversation = (MessageKind.MESSAGE.value, MessageKind.FOLLOW_UP.value)
    event_messages = (select(Message.kind, Message.sender_id).join(MessageThread, MessageThread.id == Message.thread_id)
                      .where(MessageThread.event_id == event_id, MessageThread.person_a_id.in_(live),
                             MessageThread.person_b_id.in_(live)).subquery())
    is_conversation = event_messages.c.kind.in_(conversation)
    pings, messages, people_messaged = session.execute(select(
        func.count().filter(event_messages.c.kind == MessageKind.PING.value), func.count().filter(is_conversation),
        func.count(distinct(event_messages.c.sender_id)).filter(is_conversation))).one()

    event_requests = and_(ConnectionRequest.event_id == event_id, ConnectionRequest.requester_id.in_(live),
                          ConnectionRequest.recipient_id.in_(live))
    requests_sent, requests_accepted = session.execute(select(
        func.count(), func.count().filter(ConnectionRequest.status == RequestStatus.ACCEPTED.value))
        .where(event_requests)).one()

    accepted_request = exists().where(ConnectionRequest.recommendation_id == Recommendation.id,
                                      ConnectionRequest.status == RequestStatus.ACCEPTED.value)
    connected_pair = exists().where(
        Connection.event_id == event_id, Connection.status == "active",
        Connection.person_a_id == func.least(Recommendation.user_id, Recommendation.target_person_id),
        Connection.person_b_id == func.greatest(Recommendation.user_id, Recommendation.target_person_id))
    shown, introduced = session.execute(select(func.count(), func.count().filter(or_(accepted_request, connected_pair)))
                                        .where(Recommendation.event_id == event_id,
                                               Recommendation.kind == RecommendationKind.PERSON,
                                               Recommendation.viewed_at.is_not(None),
                                               Recommendation.user_id.in_(live),
                                               Recommendation.target_person_id.in_(live))).one()

    is_sent = FollowUpDraft.status == FollowUpDraftStatus.SENT.value
    follow_ups_sent, follow_ups_answered, follow_up_authors = session.execute(select(
        func.count().filter(is_sent), func.count().filter(is_sent, FollowUpDraft.answered_at.is_not(None)),
        func.count(distinct(FollowUpDraft.author_id)).filter(is_sent))
        .where(FollowUpDraft.event_id == event_id, FollowUpDraft.author_id.in_(live),
               FollowUpDraft.recipient_id.in_(live))).one()

    living = select(Person.id).where(visibility.live(Person))
    reports = session.scalar(select(func.count()).select_from(Report).where(
        Report.reporter_id.in_(living), Report.reported_id.in_(living),
        or_(Report.event_id == event_id, and_(Report.reporter_id.in_(live), Report.reported_id.in_(live))))) or 0
    blocks = session.scalar(select(func.count()).select_from(Block).where(
        Block.blocker_id.in_(live), Block.blocked_id.in_(live))) or 0

    senders = set(session.scalars(union(
        select(event_messages.c.sender_id),
        select(ConnectionRequest.requester_id).where(event_requests))))
    active = (senders & by_id.keys()) | connected_people
    known_industries = {_industry_key(p.industry) for p in by_id.values()} - {None}
    return {
        "pings": pings, "messages": messages, "people_messaged": people_messaged,
        "connection_requests_sent": requests_sent, "connection_requests_accepted": requests_accepted,
        "connection_request_accept_rate": _rate(requests_accepted, requests_sent),
        "introductions_shown": shown, "introductions_accepted": introduced,
        "introduction_accept_rate": _rate(introduced, shown),
        "people_with_connections": len(connected_people), "follow_ups_sent": follow_ups_sent,
        "follow_ups_answered": follow_ups_answered, "follow_up_senders": follow_up_authors,
        "follow_up_sent_rate": _rate(follow_up_authors, len(connected_people)),
        "follow_up_response_rate": _rate(follow_ups_answered, follow_ups_sent),
        "reports": reports, "blocks": blocks, "reports_per_block": round(reports / blocks, 4) if blocks else None,
        "active_networkers": len(active), "active_networking_rate": _rate(len(active), len(by_id)),
        **industry_diversity([by_id[p].industry for pair in pairs for p in pair], len(known_industries)),
    }


def _industry_key(industry: str | None) -> str | None:
    """An industry as one bucket: case and spacing ignored; blank is unknown."""
    return " ".join(industry.split()).casefold() if industry and industry.strip() else None


def industry_diversity(industries: list[str | None], known_industries: int) -> dict:
    """Shannon entropy (bits) over the industries of the people in new connections, each connection counting both
    sides. Unknown industries are left out (they are no community, and counting them as one would make sparse
    profiles look diverse); their count is reported. The normalised index divides by log2 of the number of known
    industries among the event's attendees, so 1.0 means the connections spread evenly over every industry in the
    room; it is None when the room has fewer than two industries or no connection side has one."""
    counts = Counter(key for key in map(_industry_key, industries) if key is not None)
    total = sum(counts.values())
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values()) if total else 0.0
    normalised = round(min(1.0, entropy / math.log2(known_industries)), 4) \
        if total and known_industries >= 2 else None
    return {"diversity_index": round(entropy + 0.0, 4), "diversity_index_normalised": normalised,
            "diversity_industries": len(counts), "event_industries": known_industries,
            "connection_sides_unknown_industry": len(industries) - total}


def _sessions(session: Session, event_id: int, people: list[Person], embedder: Embedder | None) -> dict:
    items = list(session.scalars(select(ProgramSession).where(ProgramSession.event_id == event_id)))
    recs = session.execute(select(Recommendation.user_id, Recommendation.target_session_id, Recommendation.score,
                                  Recommendation.rank).where(Recommendation.event_id == event_id,
                                                             Recommendation.kind == RecommendationKind.SESSION)).all()
    actions = session.execute(select(SessionAction.session_id, SessionAction.person_id, SessionAction.kind).where(
        SessionAction.session_id.in_([s.id for s in items]))).all()
    recommended = {(u, s) for u, s, _, _ in recs}
    count = {kind: Counter(s for s, _, k in actions if k == kind) for kind in ("bookmark", "attended", "dismiss")}
    converted = {kind: sum(1 for s, p, k in actions if k == kind and (p, s) in recommended)
                 for kind in ("bookmark", "attended", "dismiss")}
    rec_count = Counter(s for _, s, _, _ in recs)
    score_sum: Counter = Counter()
    for _, target, score, _ in recs:
        score_sum[target] += score
    mean_score = {s: score_sum[s] / n for s, n in rec_count.items()}
    rows = [{"session": s.title, "track": s.track or "", "recommended": rec_count[s.id],
             "bookmarked": count["bookmark"][s.id], "attended": count["attended"][s.id],
             "dismissed": count["dismiss"][s.id], "avg_match_score": round(mean_score.get(s.id, 0.0), 1),
             "capacity": s.capacity} for s in items]
    top = sorted(rows, key=lambda r: (-r["bookmarked"], -r["attended"], -r["recommended"], r["session"]))[:TOP]
    mean_bookmark_rate = _rate(sum(r["bookmarked"] for r in rows), sum(r["recommended"] for r in rows))
    under = []
    for r in rows:
        reason = _underperformance(r, mean_bookmark_rate)
        if reason:
            under.append({**r, "reason": reason})
    scores = [float(sc) for _, _, sc, _ in recs]
    top_tracks = [len(set(tracks)) for tracks in _top_tracks(recs, {s.id: s.track for s in items})]
    return {
        "sessions": len(items),
        "overview": {"recommendations": len(recs), "users": len({u for u, _, _, _ in recs}),
                     "bookmark_rate": _rate(converted["bookmark"], len(recs)),
                     "attendance_rate": _rate(converted["attended"], len(recs)),
                     "dismiss_rate": _rate(converted["dismiss"], len(recs))},
        "top_sessions": top, "underperforming": sorted(under, key=lambda r: r["session"]),
        "content_gaps": _content_gaps(session, people, items, embedder),
        "score_distribution": {
            "mean": round(float(np.mean(scores)), 1) if scores else 0.0,
            "median": round(float(np.median(scores)), 1) if scores else 0.0,
            "bands": {label: sum(low <= s <= high for s in scores) for label, low, high in SCORE_BANDS},
            "histogram": np.histogram(scores, bins=10, range=(0, 100))[0].tolist() if scores else [0] * 10},
        "diversity": {"catalog_coverage": _rate(len(rec_count), len(items)),
                      "avg_tracks_in_top_10": round(float(np.mean(top_tracks)), 2) if top_tracks else 0.0},
    }


def _underperformance(row: dict, mean_bookmark_rate: float) -> str | None:
    if row["recommended"] == 0:
        return "Recommended to nobody: no attendee's interests or goals match it."
    if row["bookmarked"] == 0 and row["recommended"] >= 5:
        return f"Recommended to {row['recommended']} attendees, bookmarked by none."
    rate = row["bookmarked"] / row["recommended"]
    if row["recommended"] >= 5 and rate < mean_bookmark_rate / 2:
        return f"Bookmark rate {rate:.0%}, under half the event's {mean_bookmark_rate:.0%}."
    if row["dismissed"] > max(row["bookmarked"], 0) and row["dismissed"] >= 3:
        return f"Dismissed {row['dismissed']} times, more often than bookmarked."
    return None


def _top_tracks(recs, track_of: dict[int, str | None]) -> list[list[str]]:
    per_user: dict[int, list[tuple[int, int]]] = {}
    for user, target, _, rank in recs:
        per_user.setdefault(user, []).append((rank, target))
    return [[track_of.get(t) or "(no track)" for _, t in sorted(ranked)[:10]] for ranked in per_user.values()]


def _content_gaps(session: Session, people: list[Person], items: list[ProgramSession],
                  embedder: Embedder | None) -> list[dict]:
    """Interests several attendees hold that no session covers (by meaning when an embedder is given)."""
    demand = Counter(i.strip().lower() for p in people for i in {x.strip().lower() for x in p.interests} if i.strip())
    wanted = [(interest, n) for interest, n in demand.most_common(50) if n >= 2]
    texts = [" ".join([s.title, s.track or "", " ".join(s.tags), (s.description or "")[:300]]) for s in items]
    if not wanted:
        return []
    if embedder is not None and texts:
        vectors = embed_texts(session, embedder, [w for w, _ in wanted] + texts)
        matrix = np.stack([vectors[t] for t in texts])
        covered = {w for w, _ in wanted if float((matrix @ vectors[w]).max()) >= GAP_SIMILARITY}
    else:
        covered = {w for w, _ in wanted if any(w in t.lower() for t in texts)}
    return [{"interest": w, "attendees": n} for w, n in wanted if w not in covered][:TOP]


def _speakers(session: Session, event_id: int) -> dict:
    recs = session.execute(select(Recommendation.user_id, Recommendation.target_speaker_id, Recommendation.score)
                           .where(Recommendation.event_id == event_id,
                                  Recommendation.kind == RecommendationKind.SPEAKER)).all()
    meetings = session.execute(select(Meeting.requester_id, Meeting.speaker_id, Meeting.status).where(
        Meeting.event_id == event_id, Meeting.speaker_id.is_not(None))).all()
    recommended = {(u, s) for u, s, _ in recs}
    contacted = {(u, s) for u, s, _ in meetings if (u, s) in recommended}
    met = {(u, s) for u, s, status in meetings if status == "accepted" and (u, s) in recommended}
    names = dict(session.execute(select(Speaker.id, Speaker.name).where(Speaker.event_id == event_id)).all())
    per_speaker = Counter(s for _, s, _ in recs)
    top = [{"speaker": names.get(s, "?"), "recommended": n, "contacted": sum(1 for _, t in contacted if t == s),
            "meetings": sum(1 for _, t in met if t == s),
            "avg_match_score": round(float(np.mean([sc for _, t, sc in recs if t == s])), 1)}
           for s, n in per_speaker.most_common(TOP)]
    return {"speakers": len(names), "recommendations": len(recs), "users": len({u for u, _, _ in recs}),
            "contact_rate": _rate(len(contacted), len(recs)), "meeting_rate": _rate(len(met), len(recs)),
            "top_speakers": top}


def _activity(session: Session, event_id: int) -> list[dict]:
    """Actions per day: recommendation views, pings, connections, meetings requested, session bookmarks."""
    series: dict[str, Counter] = {}

    def add(kind: str, moments) -> None:
        for moment in moments:
            if moment is not None:
                series.setdefault(moment.date().isoformat(), Counter())[kind] += 1

    person_recs = select(Recommendation).where(Recommendation.event_id == event_id,
                                               Recommendation.kind == RecommendationKind.PERSON)
    add("views", session.scalars(person_recs.with_only_columns(Recommendation.viewed_at)))
    add("pings", session.scalars(person_recs.with_only_columns(Recommendation.pinged_at)))
    add("connections", session.scalars(select(Connection.created_at).where(Connection.event_id == event_id)))
    add("meetings", session.scalars(select(Meeting.created_at).where(Meeting.event_id == event_id)))
    add("bookmarks", session.scalars(select(SessionAction.created_at).join(
        ProgramSession, ProgramSession.id == SessionAction.session_id).where(
        ProgramSession.event_id == event_id, SessionAction.kind == "bookmark")))
    return [{"day": day, **{k: series[day][k] for k in ACTIVITY_KINDS}} for day in sorted(series)]


def refresh_event_analytics(session: Session, *, event_id: int, now: datetime,
                            embedder: Embedder | None = None) -> dict:
    """Compute and cache one event's analytics."""
    data = compute_event_analytics(session, event_id=event_id, now=now, embedder=embedder)
    session.execute(insert(EventAnalytics).values(event_id=event_id, computed_at=now, data=data)
                    .on_conflict_do_update(index_elements=["event_id"], set_={"computed_at": now, "data": data}))
    return data


def analytics_job(ctx: JobContext) -> dict:
    """Job body: refresh the cached analytics of one event or of every event."""
    query = select(Event.id) if ctx.event_id is None else select(Event.id).where(Event.id == ctx.event_id)
    events = list(ctx.session.scalars(query))
    for event_id in events:
        refresh_event_analytics(ctx.session, event_id=event_id, now=ctx.clock.now(), embedder=ctx.embedder)
    return {"events": len(events)}


def cached_analytics(session: Session, event_id: int) -> EventAnalytics | None:
    return session.get(EventAnalytics, event_id)


def analytics_csv(data: dict) -> str:
    """The analytics as one long CSV (section, item, metric, value), safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def emit(*cells) -> None:
        writer.writerow([safe_csv_cell(c) for c in cells])

    emit("section", "item", "metric", "value")
    for section in ("networking", "sessions", "speakers"):
        for key, value in data[section].items():
            if key == "funnel":  # stored as JSONB, which loses the stage order
                value = {stage: value[stage] for stage in FUNNEL_STAGES if stage in value} | value
            if isinstance(value, dict):
                for metric, inner in {**value, **value.get("bands", {})}.items():
                    if not isinstance(inner, (dict, list)):
                        emit(section, key, metric, inner)
            elif isinstance(value, list):
                for row in value:
                    name = next((k for k in ROW_LABELS if k in row), next(iter(row), None))
                    for metric, inner in row.items():
                        if metric != name:
                            emit(section, f"{key}: {row[name]}", metric, inner)
            else:
                emit(section, "", key, value)
    for row in data["activity"]:
        for metric in ACTIVITY_KINDS:
            emit("activity", row["day"], metric, row.get(metric, 0))
    for item in benchmark_panel(data["networking"]):
        for metric, value in (("value", item.value), ("target", item.target.target),
                              ("industry_average", item.target.industry_average or ""),
                              ("status", item.status.value)):
            emit("networking", f"benchmark: {item.label}", metric, value)
    huddles = data.get("huddles") or {}  # huddles are networking: their rows go in that section
    for key, value in huddles.items():
        if isinstance(value, dict):
            for metric, inner in value.items():
                emit("networking", f"huddles: {key}", metric, inner)
        else:
            emit("networking", "huddles", key, "" if value is None else value)
    if huddles:
        for item in huddle_panel(huddles):
            for metric, value in (("value", item.value), ("target", item.target_text), ("status", item.status.value)):
                emit("networking", f"huddle target: {item.label}", metric, "" if value is None else value)
    return buffer.getvalue()


def _pct(rate: float) -> str:
    return f"{rate:.0%}"


def funnel_steps(funnel: dict[str, int]) -> list[tuple[str, int]]:
    """The funnel's stages in funnel order, as (label, count): the known stages in FUNNEL_STAGES order, any other
    stored stage after them, widest first."""
    known = [stage for stage in FUNNEL_STAGES if stage in funnel]
    others = sorted((stage for stage in funnel if stage not in FUNNEL_STAGES), key=lambda s: (-funnel[s], s))
    return [(stage.replace("_", " ").capitalize(), int(funnel[stage] or 0)) for stage in known + others]


def funnel_share(count: int, first: int) -> str:
    """A stage's count as a share of the first stage, e.g. "75%"; "n/a" while the first stage is empty."""
    return f"{count / first:.0%}" if first > 0 else "n/a"


def goal_pair_label(pair: str) -> str:
    """A stored goal pair ("GET_HIRED + HIRE") in words ("Find job opportunities + Find talent to hire")."""
    return " + ".join(goal_label(goal) for goal in pair.split(" + "))


def analytics_report_pdf(event_name: str, data: dict, *, enrichment_enabled: bool = True) -> bytes:
    """The cached analytics as a PDF report with charts: networking, sessions, speakers, activity (the enrichment
    rate reads "off" where no enrichment source is configured)."""
    net, ses, spk = data["networking"], data["sessions"], data["speakers"]
    enrichment_rate = _pct(net["enrichment_rate"]) if enrichment_enabled else "off"
    funnel = funnel_steps(net["funnel"])
    networking = ReportSection(
        "Networking",
        metrics=[("Attendees", f"{net['attendees']:,}"), ("Enrichment rate", enrichment_rate),
                 ("Connections", f"{net['connections']:,}"),
                 ("Connections per attendee", f"{net['connections_per_attendee']:.2f}"),
                 ("Meetings requested / accepted", f"{net['meetings_requested']} / {net['meetings_accepted']}"),
                 ("Huddles formed", str(net["huddles_formed"]))],
        charts=[Chart("funnel", "Recommendation funnel", [label for label, _ in funnel], [n for _, n in funnel]),
                Chart("hbar", "Interests behind connections", [r["interest"] for r in net["top_interests"]],
                      [r["count"] for r in net["top_interests"]]),
                Chart("hbar", "Goal pairs behind connections",
                      [goal_pair_label(r["pair"]) for r in net["top_goal_pairs"]],
                      [r["count"] for r in net["top_goal_pairs"]])])
    overview = ses["overview"]
    after = _after_the_match_section(net)
    benchmarks = _benchmark_section(net)
    huddles = _huddle_section(data.get("huddles"))
    sessions = ReportSection(
        "Sessions",
        metrics=[("Session recommendations", f"{overview['recommendations']:,}"),
                 ("Bookmark rate", _pct(overview["bookmark_rate"])),
                 ("Attendance rate", _pct(overview["attendance_rate"])),
                 ("Dismiss rate", _pct(overview["dismiss_rate"])),
                 ("Mean match score", f"{ses['score_distribution']['mean']:.0f}"),
                 ("Catalog coverage", _pct(ses["diversity"]["catalog_coverage"]))],
        charts=[Chart("bar", "Match score distribution", [f"{10 * i}–{10 * i + 10}" for i in range(10)],
                      ses["score_distribution"]["histogram"])],
        tables=[Table("Top sessions", ["Session", "Recommended", "Bookmarked", "Attended", "Average match score"],
                      [[r["session"], r["recommended"], r["bookmarked"], r["attended"], r["avg_match_score"]]
                       for r in ses["top_sessions"]]),
                Table("Underperforming sessions", ["Session", "Why"],
                      [[r["session"], r["reason"]] for r in ses["underperforming"]]),
                Table("Content gaps", ["Interest", "Attendees"],
                      [[r["interest"], r["attendees"]] for r in ses["content_gaps"]])])
    speakers = ReportSection(
        "Speakers",
        metrics=[("Speaker recommendations", f"{spk['recommendations']:,}"),
                 ("Contact rate", _pct(spk["contact_rate"])), ("Meeting rate", _pct(spk["meeting_rate"]))],
        tables=[Table("Top speakers", ["Speaker", "Recommended", "Contacted", "Meetings", "Average match score"],
                      [[r["speaker"], r["recommended"], r["contacted"], r["meetings"], r["avg_match_score"]]
                       for r in spk["top_speakers"]])])
    # One day is one point: a line through it says nothing, a bar reads.
    activity = ReportSection("Activity", charts=[
        Chart("line" if len(data["activity"]) > 1 else "bar",
              "Actions per day (views, pings, connections, meetings, bookmarks)", [r["day"] for r in data["activity"]],
              [sum(r.get(k, 0) for k in ACTIVITY_KINDS) for r in data["activity"]])])
    return analytics_pdf(title=f"{event_name}: networking and program report",
                         subtitle="Recommendations, connections, meetings, sessions and speakers",
                         generated_at=datetime.fromisoformat(data["computed_at"]),
                         sections=[networking, benchmarks, after, huddles, sessions, speakers, activity])


def after_the_match_metrics(net: dict) -> list[tuple[str, str, str]]:
    """The "Networking after the match" metrics as (label, value, how it is counted), in reading order; empty for
    an analytics cache computed before these metrics existed."""
    if "pings" not in net:
        return []
    ratio = net["reports_per_block"]
    normalised = net["diversity_index_normalised"]
    return [
        ("Pings", f"{net['pings']:,}", "Short pings attendees sent each other in the event's conversations"),
        ("Connection requests accepted",
         f"{net['connection_requests_accepted']:,} of {net['connection_requests_sent']:,}",
         f"{_pct(net['connection_request_accept_rate'])} of the requests sent at the event were accepted"),
        ("Introductions accepted", _pct(net["introduction_accept_rate"]),
         f"{net['introductions_accepted']:,} of {net['introductions_shown']:,} people recommendations shown became "
         "connections"),
        ("Messages", f"{net['messages']:,}", f"Written by {net['people_messaged']:,} attendees (pings not counted)"),
        ("Follow-up sent rate", _pct(net["follow_up_sent_rate"]),
         f"{net['follow_up_senders']:,} of {net['people_with_connections']:,} attendees with a connection sent one"),
        ("Follow-up response rate", _pct(net["follow_up_response_rate"]),
         f"{net['follow_ups_answered']:,} of {net['follow_ups_sent']:,} follow-ups sent were answered"),
        ("Reports per block", "No blocks" if ratio is None else f"{ratio:.2f}",
         f"{net['reports']:,} reports, {net['blocks']:,} blocks between attendees"),
        ("Diversity of new connections", "—" if normalised is None else f"{normalised:.2f}",
         f"Industry entropy {net['diversity_index']:.2f} bits over {net['diversity_industries']} of the "
         f"{net['event_industries']} industries in the room (1.00 = spread evenly over all of them)"),
    ]


def _after_the_match_section(net: dict) -> ReportSection:
    metrics = after_the_match_metrics(net)
    if not metrics:
        return ReportSection("Networking after the match",
                             notes=["Recompute the analytics to see pings, requests, follow-ups and safety."])
    return ReportSection("Networking after the match", metrics=[(label, value) for label, value, _ in metrics],
                         notes=[f"{label}: {how}." for label, _, how in metrics])


def _benchmark_section(net: dict) -> ReportSection:
    panel = benchmark_panel(net)
    measured = [item for item in panel if item.share_of_target is not None]
    return ReportSection(
        "Benchmarks",
        charts=[Chart("hbar", "Value as % of target (100% = target met)", [item.label for item in measured],
                      [round(100 * item.share_of_target) for item in measured], unit="%")],
        tables=[Table("Against the targets", ["Metric", "Your value", "Target", "Industry average", "Status"],
                      [[item.label, item.value_text, item.target_text, item.industry_text, item.status_label]
                       for item in panel])])


def _huddle_section(huddles: dict | None) -> ReportSection:
    metrics = huddle_metrics(huddles)
    if not metrics:
        return ReportSection("Huddles", notes=["Recompute the analytics to see the huddle metrics."])
    panel = huddle_panel(huddles)
    return ReportSection(
        "Huddles", metrics=[(label, value) for label, value, _ in metrics],
        tables=[Table("Against the huddle targets", ["Metric", "Your value", "Target", "Status"],
                      [[item.label, item.value_text, item.target_text, item.status_label] for item in panel])],
        notes=[f"{item.label}: {item.target.description}" for item in panel])
