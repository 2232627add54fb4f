"""Organizer analytics per event (seed 000 §9, seed 001 analytics): computed by an hourly job and cached as JSON."""
from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.ai.embeddings import Embedder, embed_texts
from core.analytics.report_pdf import Chart, ReportSection, Table, analytics_pdf
from core.events.labels import goal_label
from core.ingest.tabular import safe_csv_cell
from core.platform.job_context import JobContext
from db.models import (
    Connection,
    ConnectionActivity,
    ConnectionFeedback,
    EnrichmentStatus,
    Event,
    EventAnalytics,
    Huddle,
    HuddleParticipant,
    Meeting,
    Person,
    ProgramSession,
    Recommendation,
    RecommendationKind,
    Registration,
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
SCORE_BANDS = (("low (0–50)", 0, 50), ("medium (51–75)", 51, 75), ("high (76–100)", 76, 100))


def _rate(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def compute_event_analytics(session: Session, *, event_id: int, now: datetime,
                            embedder: Embedder | None = None) -> dict:
    """Every networking, session and speaker metric of one event, as JSON-ready data."""
    people = list(session.scalars(select(Person).join(Registration, Registration.person_id == Person.id)
                                  .where(Registration.event_id == event_id, Person.deleted_at.is_(None))))
    by_id = {p.id: p for p in people}
    return {"computed_at": now.isoformat(), "networking": _networking(session, event_id, people, by_id),
            "sessions": _sessions(session, event_id, people, embedder),
            "speakers": _speakers(session, event_id), "activity": _activity(session, event_id)}


def _networking(session: Session, event_id: int, people: list[Person], by_id: dict[int, Person]) -> dict:
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
    invites = Counter(session.scalars(select(HuddleParticipant.status).where(HuddleParticipant.huddle_id.in_(huddles))))
    joined = invites["accepted"] + invites["attended"]
    connection_ids = session.scalars(select(Connection.id).where(Connection.event_id == event_id)).all()
    follow_ups = session.scalar(select(func.count()).select_from(ConnectionActivity).where(
        ConnectionActivity.connection_id.in_(connection_ids), ConnectionActivity.kind.like("follow_up%"))) or 0
    feedback = session.execute(select(func.count(), func.count().filter(ConnectionFeedback.will_follow_up))
                               .where(ConnectionFeedback.connection_id.in_(connection_ids))).one()
    return {
        "attendees": len(people), "opted_in_enrichment": len(opted_in), "enriched": len(enriched),
        "enrichment_rate": _rate(len(enriched), len(opted_in)),
        "funnel": {"generated": recs[0], "viewed": recs[1], "pinged": recs[2], "connected": recs[3]},
        "view_rate": _rate(recs[1], recs[0]), "connections": len(connections),
        "connections_per_attendee": _rate(len(connections), len(people)),
        "meetings_requested": requested, "meetings_accepted": meetings["accepted"],
        "meeting_accept_rate": _rate(meetings["accepted"], requested),
        "huddles_formed": len(huddles), "huddle_invites": sum(invites.values()),
        "huddle_accept_rate": _rate(joined, sum(invites.values())),
        "huddle_attend_rate": _rate(invites["attended"], joined),
        "avg_huddle_size": _rate(joined, len(huddles)),
        "follow_ups_sent": follow_ups, "connection_feedback": feedback[0], "will_follow_up": feedback[1],
        "top_interests": [{"interest": k, "count": v} for k, v in interests.most_common(TOP)],
        "top_goal_pairs": [{"pair": k, "count": v} for k, v in goal_pairs.most_common(TOP)],
    }


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


def analytics_report_pdf(event_name: str, data: dict) -> bytes:
    """The cached analytics as a PDF report with charts: networking, sessions, speakers, activity."""
    net, ses, spk = data["networking"], data["sessions"], data["speakers"]
    funnel = funnel_steps(net["funnel"])
    networking = ReportSection(
        "Networking",
        metrics=[("Attendees", f"{net['attendees']:,}"), ("Enrichment rate", _pct(net["enrichment_rate"])),
                 ("Connections", f"{net['connections']:,}"),
                 ("Connections per attendee", f"{net['connections_per_attendee']:.2f}"),
                 ("Meetings requested / accepted", f"{net['meetings_requested']} / {net['meetings_accepted']}"),
                 ("Huddles formed", str(net["huddles_formed"])), ("Follow-ups sent", str(net["follow_ups_sent"]))],
        charts=[Chart("funnel", "Recommendation funnel", [label for label, _ in funnel], [n for _, n in funnel]),
                Chart("hbar", "Interests behind connections", [r["interest"] for r in net["top_interests"]],
                      [r["count"] for r in net["top_interests"]]),
                Chart("hbar", "Goal pairs behind connections",
                      [goal_pair_label(r["pair"]) for r in net["top_goal_pairs"]],
                      [r["count"] for r in net["top_goal_pairs"]])])
    overview = ses["overview"]
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
                         sections=[networking, sessions, speakers, activity])
