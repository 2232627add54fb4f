"""The huddle metrics of seed 000 §6.8 on a hand-built event where each figure is known exactly, and how the CSV
and the PDF report carry them."""
import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from core.analytics.event_analytics import analytics_csv, analytics_report_pdf, compute_event_analytics
from db.models import Connection, Event, Huddle, HuddleParticipant, Person, Registration
from tests.unit.analytics.test_report_pdf import page_texts

START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def huddles(db, clock):
    """Six attendees and five huddles:

    - H1 problem, completed: P1, P2, P3 attended, P4 no-show, P5 declined → size 3 (attendance recorded).
    - H2 session, confirmed: P1, P2, P6 accepted, P3 invited → size 3 (accepted, nobody checked in yet).
    - H3 proximity, completed: P1, P2, P4, P5, P6 attended → size 5.
    - H4 problem, cancelled: P3, P4 accepted → left out of everything but the cancelled count.
    - H5 proximity, forming: P5, P6 invited → no size yet.
    Connections: three from huddles at the event, one from a huddle at another event, one from a recommendation.
    """
    event = Event(slug="hand", name="Hand-built", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2),
                  timezone="UTC")
    other = Event(slug="other", name="Other", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 2), timezone="UTC")
    db.add_all([event, other])
    db.flush()
    people = []
    for n in range(1, 7):
        someone = Person(email=f"p{n}@x.io", first_name=f"P{n}", last_name="Doe", interests=[], goals=[],
                         skills_offered=[], skills_needed=[])
        db.add(someone)
        db.flush()
        db.add(Registration(event_id=event.id, person_id=someone.id))
        people.append(someone.id)
    p = dict(enumerate(people, start=1))
    plan = [("problem", "completed", {1: "attended", 2: "attended", 3: "attended", 4: "no_show", 5: "declined"}),
            ("session", "confirmed", {1: "accepted", 2: "accepted", 6: "accepted", 3: "invited"}),
            ("proximity", "completed", {1: "attended", 2: "attended", 4: "attended", 5: "attended", 6: "attended"}),
            ("problem", "cancelled", {3: "accepted", 4: "accepted"}),
            ("proximity", "forming", {5: "invited", 6: "invited"})]
    for index, (kind, status, participants) in enumerate(plan):
        huddle = Huddle(event_id=event.id, kind=kind, status=status, topic=f"Topic {index + 1}",
                        starts_at=START + timedelta(hours=index), location_name="Lobby")
        db.add(huddle)
        db.flush()
        db.add_all(HuddleParticipant(huddle_id=huddle.id, person_id=p[n], status=answer, invited_at=clock.now())
                   for n, answer in participants.items())
    for a, b, event_id, source in ((1, 2, event.id, "huddle"), (1, 3, event.id, "huddle"), (4, 5, event.id, "huddle"),
                                   (2, 6, other.id, "huddle"), (3, 6, event.id, "recommendation")):
        db.add(Connection(person_a_id=p[a], person_b_id=p[b], event_id=event_id, source=source, status="active"))
    db.flush()
    return compute_event_analytics(db, event_id=event.id, now=clock.now())


def test_formed_huddles_leave_out_the_cancelled_one_and_are_counted_by_kind(huddles):
    figures = huddles["huddles"]
    assert (figures["formed"], figures["completed"], figures["cancelled"], figures["by_kind"]) == (
        4, 2, 1, {"problem": 1, "session": 1, "proximity": 2})


def test_invite_to_accept_counts_everyone_who_said_yes_of_everyone_invited(huddles):
    figures = huddles["huddles"]
    assert (figures["accepted"], figures["invites"], figures["invite_accept_rate"]) == (12, 16, 0.75)


def test_accept_to_attend_counts_those_who_checked_in_of_those_who_said_yes_to_huddles_that_started(huddles):
    figures = huddles["huddles"]
    assert (figures["attended"], figures["accepted_in_held"], figures["accept_attend_rate"]) == (8, 9, 0.8889)


def test_average_size_uses_attendance_where_recorded_and_acceptances_elsewhere(huddles):
    figures = huddles["huddles"]
    assert (figures["sized_huddles"], figures["avg_size"]) == (3, 3.67)  # (3 + 3 + 5) / 3


def test_connections_per_huddle_divides_the_events_huddle_connections_by_completed_huddles(huddles):
    figures = huddles["huddles"]
    assert (figures["huddle_connections"], figures["connections_per_huddle"]) == (3, 1.5)


def test_repeat_joins_are_people_who_said_yes_twice_of_those_who_said_yes_once(huddles):
    figures = huddles["huddles"]
    assert (figures["people_repeat"], figures["people_accepted"], figures["repeat_join_rate"]) == (4, 6, 0.6667)


def test_an_event_without_huddles_has_no_size_and_zero_rates(db, clock):
    event = Event(slug="empty", name="Empty", timezone="UTC")
    db.add(event)
    db.flush()
    figures = compute_event_analytics(db, event_id=event.id, now=clock.now())["huddles"]
    assert (figures["formed"], figures["avg_size"], figures["invite_accept_rate"], figures["repeat_join_rate"]) == (
        0, None, 0.0, 0.0)


def test_the_csv_carries_the_huddle_figures_and_one_status_per_target(huddles):
    rows = list(csv.reader(io.StringIO(analytics_csv(huddles))))
    assert ["networking", "huddles", "invite_accept_rate", "0.75"] in rows
    assert ["networking", "huddles: by_kind", "proximity", "2"] in rows
    statuses = {row[1]: row[3] for row in rows if row[1].startswith("huddle target: ") and row[2] == "status"}
    assert statuses == {"huddle target: Invite → accept rate": "met", "huddle target: Accept → attend rate": "met",
                        "huddle target: Average huddle size": "not_met",
                        "huddle target: Huddle connections": "met", "huddle target: Repeat huddle joins": "met"}


def test_the_pdf_report_has_a_huddles_section_with_the_targets(huddles):
    text = "\n".join(page_texts(analytics_report_pdf("Hand-built", huddles)))
    for expected in ("Huddles", "Huddles formed", "Against the huddle targets", "Invite -> accept rate", "75%",
                     "Average huddle size", "3.67", "4-6", "Repeat huddle joins", "Not met"):
        assert expected in text, expected
