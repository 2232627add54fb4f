"""Post-event follow-ups on a real Postgres (seed 000 §7.3–§7.6, §7.9): drafts once per event and side, the people
they skip, the text they cite, sending, skipping and snoozing, replies, reminders and the network stats."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.networking.follow_ups import (
    FollowUpError,
    NetworkFilter,
    generate_follow_up_drafts,
    generate_follow_ups_job,
    my_follow_ups,
    network_lists,
    network_stats,
    send_follow_up,
    send_follow_up_reminders,
    skip_follow_up,
    snooze_follow_up,
)
from core.networking.messages import send_message
from core.networking.notifications import NotificationKind
from core.platform.job_context import JobContext
from db.models import (
    Block,
    Connection,
    ConnectionActivity,
    Event,
    FollowUpDraft,
    Huddle,
    HuddleParticipant,
    Message,
    Notification,
    Person,
    Registration,
)
from tests.fakes import FakeLLM

LLM_REPLY = ('{"message": "Our huddle chat on real-time pipelines stuck with me. Shall we grab a coffee next week '
             'so I can share the playbook we used?"}')


def person(db, first: str, **fields) -> int:
    values = {"last_name": "Doe", "company": "Acme", "role": "Engineer", "interests": [], "goals": [],
              "skills_offered": [], "skills_needed": [], **fields}
    someone = Person(email=f"{first.lower()}@x.io", first_name=first, **values)
    db.add(someone)
    db.flush()
    return someone.id


def connect(db, a: int, b: int, event_id: int | None, source: str = "recommendation", interactions: int = 1,
            created_at: datetime | None = None) -> int:
    low, high = sorted((a, b))
    connection = Connection(person_a_id=low, person_b_id=high, event_id=event_id, source=source, status="active",
                            interaction_count=interactions, created_at=created_at or datetime(2026, 11, 28, tzinfo=UTC))
    db.add(connection)
    db.flush()
    return connection.id


@pytest.fixture
def summit(db):
    """The Lisbon Summit (ended 33 hours before the test clock) with Ana, Bo, Cy and Di registered; Ana is
    connected to Bo (via a recommendation) and Cy (at a huddle). Returns (event_id, ids)."""
    event = Event(slug="summit", name="Lisbon Summit", starts_on=date(2026, 11, 28), ends_on=date(2026, 11, 29),
                  timezone="UTC")
    db.add(event)
    db.flush()
    ids = {"ana": person(db, "Ana", interests=["AI/ML", "Design"], goals=["HIRE"], skills_offered=["Python"],
                         problem_statement="Hiring senior data engineers fast"),
           "bo": person(db, "Bo", interests=["ai/ml"], goals=["GET_HIRED"], skills_needed=["python"],
                        role="Data Engineer", company="Streamly",
                        problem_statement="Moving our batch jobs to real-time pipelines"),
           "cy": person(db, "Cy"), "di": person(db, "Di")}
    for pid in ids.values():
        db.add(Registration(event_id=event.id, person_id=pid, registered_at=datetime(2026, 11, 1, tzinfo=UTC)))
    connect(db, ids["ana"], ids["bo"], event.id, interactions=2)
    connect(db, ids["ana"], ids["cy"], event.id, source="huddle")
    db.commit()
    return event.id, ids


def drafts(db, **where) -> list[FollowUpDraft]:
    db.expire_all()
    query = select(FollowUpDraft).order_by(FollowUpDraft.id)
    for key, value in where.items():
        query = query.where(getattr(FollowUpDraft, key) == value)
    return list(db.scalars(query))


def draft_of(db, author: int, recipient: int) -> FollowUpDraft:
    return next(d for d in drafts(db) if d.author_id == author and d.recipient_id == recipient)


def test_each_connection_made_at_the_event_gets_one_draft_per_side_and_a_second_run_adds_nothing(db, clock, summit):
    event_id, ids = summit
    first = generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    second = generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    pairs = {(d.author_id, d.recipient_id) for d in drafts(db)}
    assert first["drafts"] == 4 and second["drafts"] == 0
    assert pairs == {(ids["ana"], ids["bo"]), (ids["bo"], ids["ana"]), (ids["ana"], ids["cy"]), (ids["cy"], ids["ana"])}
    assert {c.follow_up_state for c in db.scalars(select(Connection))} == {"pending"}


def test_a_second_run_never_overwrites_a_draft_that_was_sent_with_edited_text(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["bo"])
    send_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock, body="My own words, Bo.")
    generate_follow_up_drafts(db, event_id=event_id, clock=clock, llm=FakeLLM(LLM_REPLY))
    assert draft_of(db, ids["ana"], ids["bo"]).body == "My own words, Bo."


def test_blocked_pairs_deleted_people_and_authors_who_said_no_get_no_drafts(db, clock, summit):
    event_id, ids = summit
    eve, fay = person(db, "Eve"), person(db, "Fay", consents={"post_event_follow_up": False})
    gus = person(db, "Gus", deleted_at=clock.now())
    connect(db, ids["bo"], ids["cy"], event_id)
    connect(db, ids["di"], eve, event_id)
    connect(db, ids["di"], fay, event_id)
    connect(db, ids["di"], gus, event_id)
    db.add(Block(blocker_id=ids["cy"], blocked_id=ids["bo"], created_at=clock.now()))
    db.commit()
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    pairs = {(d.author_id, d.recipient_id) for d in drafts(db)}
    assert (ids["bo"], ids["cy"]) not in pairs and (ids["cy"], ids["bo"]) not in pairs
    assert (ids["di"], fay) in pairs and (fay, ids["di"]) not in pairs
    assert not any(gus in pair for pair in pairs)
    assert (ids["di"], eve) in pairs and (eve, ids["di"]) in pairs


def test_connections_made_elsewhere_get_no_drafts_for_this_event(db, clock, summit):
    event_id, ids = summit
    connect(db, ids["bo"], ids["di"], None)
    db.commit()
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    assert not any({d.author_id, d.recipient_id} == {ids["bo"], ids["di"]} for d in drafts(db))


def test_the_template_cites_how_they_met_the_event_shared_interests_the_challenge_and_a_next_step(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["bo"])
    assert draft.source == "template"
    assert draft.body.startswith("Hi Bo, it was great to connect after GlobalConnect suggested we meet at "
                                 "Lisbon Summit.")
    assert "AI/ML" in draft.body and "help with python" in draft.body
    assert '"Moving our batch jobs to real-time pipelines"' in draft.body
    assert "short call next week" in draft.body
    assert draft.reason == "You connected through a recommendation at Lisbon Summit."


def test_priority_counts_interactions_the_huddle_and_aligned_goals(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    assert draft_of(db, ids["ana"], ids["bo"]).priority == 2 * 10 + 40
    assert draft_of(db, ids["ana"], ids["cy"]).priority == 10 + 20


def test_having_joined_the_same_huddle_counts_as_meeting_there(db, clock, summit):
    event_id, ids = summit
    huddle = Huddle(event_id=event_id, topic="Pipelines")
    db.add(huddle)
    db.flush()
    db.add_all([HuddleParticipant(huddle_id=huddle.id, person_id=ids["ana"], status="attended"),
                HuddleParticipant(huddle_id=huddle.id, person_id=ids["bo"], status="accepted")])
    db.commit()
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["bo"], ids["ana"])
    assert draft.priority == 20 + 20 + 40 and draft.reason.endswith("and were in the same huddle.")


def test_with_an_llm_the_drafts_use_its_text_without_names_in_the_prompt(db, clock, summit):
    event_id, ids = summit
    llm = FakeLLM(LLM_REPLY)
    result = generate_follow_up_drafts(db, event_id=event_id, clock=clock, llm=llm)
    draft = draft_of(db, ids["ana"], ids["bo"])
    assert result["llm_drafts"] == 4 and draft.source == "llm"
    assert draft.body.startswith("Hi Bo,\n\nOur huddle chat on real-time pipelines") and draft.body.endswith("Ana")
    prompt = next(p for p in llm.prompts if "Streamly" in p)
    assert "<context_data>" in prompt and "Their challenge: Moving our batch jobs" in prompt
    assert "Ana" not in prompt and "Bo" not in prompt.replace("Both", "")


def test_a_bad_llm_reply_falls_back_to_the_template(db, clock, summit):
    event_id, ids = summit
    result = generate_follow_up_drafts(db, event_id=event_id, clock=clock,
                                       llm=FakeLLM('{"message": "Hi {name}, see https://x.io 🚀 now please"}'))
    assert result["llm_drafts"] == 0
    assert {d.source for d in drafts(db)} == {"template"}


def test_an_llm_error_falls_back_to_the_template(db, clock, summit):
    from core.ai.llm import LLMError

    event_id, _ = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock, llm=FakeLLM(error=LLMError("overloaded")))
    assert len(drafts(db, source="template")) == 4


def test_the_job_drafts_only_events_that_ended_24_to_72_hours_ago(db, clock, summit):
    event_id, ids = summit
    recent = Event(slug="recent", name="Yesterday", starts_on=date(2026, 11, 30), ends_on=date(2026, 11, 30))
    db.add(recent)
    db.flush()
    connect(db, ids["bo"], ids["di"], recent.id)
    db.commit()
    result = generate_follow_ups_job(JobContext(session=db, clock=clock, event_id=None))
    assert result["events"] == 1 and {d.event_id for d in drafts(db)} == {event_id}


def test_my_follow_ups_lists_pending_drafts_highest_priority_first(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    listed = my_follow_ups(db, ids["ana"], clock.now())
    assert [v.recipient.first_name for v in listed] == ["Bo", "Cy"]
    assert listed[0].event_name == "Lisbon Summit"


def test_sending_a_follow_up_messages_marks_it_sent_counts_an_interaction_and_notifies(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["bo"])
    message_id = send_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock, body="  Edited text  ")
    db.commit()
    message, sent = db.get(Message, message_id), draft_of(db, ids["ana"], ids["bo"])
    connection = db.get(Connection, draft.connection_id)
    assert (message.kind, message.body) == ("follow_up", "Edited text")
    assert (sent.status, sent.message_id, sent.sent_at) == ("sent", message_id, clock.now())
    assert connection.follow_up_state == "sent" and connection.interaction_count == 3
    assert db.scalar(select(ConnectionActivity.kind).where(ConnectionActivity.kind == "follow_up_sent"))
    kinds = list(db.scalars(select(Notification.kind).where(Notification.person_id == ids["bo"])))
    assert kinds == [NotificationKind.FOLLOW_UP.value]


def test_a_draft_sent_once_cannot_be_sent_or_skipped_again(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["bo"])
    send_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock)
    with pytest.raises(FollowUpError, match="already sent"):
        skip_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock)


def test_someone_else_cannot_act_on_my_draft(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    with pytest.raises(FollowUpError, match="not one of yours"):
        send_follow_up(db, draft_id=draft_of(db, ids["ana"], ids["bo"]).id, person_id=ids["bo"], clock=clock)


def test_a_skipped_draft_leaves_the_list_and_marks_the_connection_skipped(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["cy"])
    skip_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock)
    assert [v.recipient.first_name for v in my_follow_ups(db, ids["ana"], clock.now())] == ["Bo"]
    assert db.get(Connection, draft.connection_id).follow_up_state == "skipped"


def test_a_snoozed_draft_comes_back_after_three_days(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["cy"])
    until = snooze_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock)
    assert until == clock.now() + timedelta(days=3)
    assert [v.recipient.first_name for v in my_follow_ups(db, ids["ana"], clock.now())] == ["Bo"]
    back = [v.recipient.first_name for v in my_follow_ups(db, ids["ana"], until + timedelta(minutes=1))]
    assert back == ["Bo", "Cy"]


def test_a_reply_in_the_thread_marks_the_follow_up_answered(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["bo"])
    send_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock)
    clock.at += timedelta(hours=2)
    send_message(db, ids["bo"], ids["ana"], "Happy to chat, Ana!", clock)
    answered = draft_of(db, ids["ana"], ids["bo"])
    assert answered.answered_at == clock.now()
    assert db.get(Connection, draft.connection_id).follow_up_state == "answered"
    assert draft_of(db, ids["bo"], ids["ana"]).answered_at is None


def test_a_message_from_the_author_does_not_count_as_an_answer(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    draft = draft_of(db, ids["ana"], ids["bo"])
    send_follow_up(db, draft_id=draft.id, person_id=ids["ana"], clock=clock)
    clock.at += timedelta(hours=2)
    send_message(db, ids["ana"], ids["bo"], "One more thing.", clock)
    assert draft_of(db, ids["ana"], ids["bo"]).answered_at is None


def test_the_reminder_reaches_each_attendee_with_drafts_once_even_when_the_job_runs_twice(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    first = send_follow_up_reminders(db, clock=clock)
    clock.at += timedelta(days=1)
    second = send_follow_up_reminders(db, clock=clock)
    reminders = list(db.scalars(select(Notification).where(
        Notification.kind == NotificationKind.FOLLOW_UP_REMINDER.value)))
    assert first["reminders"] == 3 and second["reminders"] == 0
    ana = next(n for n in reminders if n.person_id == ids["ana"])
    assert ana.body == ("You met 2 people at Lisbon Summit. A quick message can turn a conversation into an "
                        "opportunity.") and ana.link == "my-network?tab=follow-ups"


def test_no_reminder_once_every_draft_was_acted_on(db, clock, summit):
    event_id, ids = summit
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    for draft in drafts(db, author_id=ids["cy"]):
        skip_follow_up(db, draft_id=draft.id, person_id=ids["cy"], clock=clock)
    send_follow_up_reminders(db, clock=clock)
    assert db.scalar(select(func.count()).select_from(Notification).where(Notification.person_id == ids["cy"])) == 0


def test_network_stats_count_connections_started_events_and_the_follow_up_rate(db, clock, summit):
    event_id, ids = summit
    future = Event(slug="next", name="Next year", starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 2))
    db.add(future)
    db.flush()
    db.add(Registration(event_id=future.id, person_id=ids["ana"]))
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    assert network_stats(db, ids["ana"], clock.now()).follow_up_rate == 0
    send_follow_up(db, draft_id=draft_of(db, ids["ana"], ids["bo"]).id, person_id=ids["ana"], clock=clock)
    stats = network_stats(db, ids["ana"], clock.now())
    assert (stats.connections, stats.events, stats.follow_up_rate) == (2, 1, 50)


def test_need_follow_up_lists_connections_two_to_fourteen_days_old_without_a_follow_up(db, clock, summit):
    event_id, ids = summit
    old = connect(db, ids["ana"], ids["di"], None, created_at=clock.now() - timedelta(days=20))
    generate_follow_up_drafts(db, event_id=event_id, clock=clock)
    send_follow_up(db, draft_id=draft_of(db, ids["ana"], ids["bo"]).id, person_id=ids["ana"], clock=clock)
    lists = network_lists(db, ids["ana"], clock.now())
    assert [v.other.first_name for v in lists[NetworkFilter.NEED_FOLLOW_UP]] == ["Cy"]
    assert len(lists[NetworkFilter.ALL]) == 3 and old in {v.connection.id for v in lists[NetworkFilter.ALL]}
    assert lists[NetworkFilter.STRONG] == []


def test_strong_and_recent_lists_follow_strength_and_last_interaction(db, clock, summit):
    _, ids = summit
    db.execute(Connection.__table__.update().values(strength="strong", last_interaction_at=clock.now())
               .where(Connection.person_b_id == ids["cy"]))
    db.commit()
    lists = network_lists(db, ids["ana"], clock.now())
    assert [v.other.first_name for v in lists[NetworkFilter.STRONG]] == ["Cy"]
    assert [v.other.first_name for v in lists[NetworkFilter.RECENT]][0] == "Cy"


def test_the_job_rewrites_only_as_many_drafts_with_the_llm_as_the_settings_allow(db, clock, summit):
    from core.platform.settings import Settings

    event_id, _ = summit
    ctx = JobContext(session=db, clock=clock, event_id=event_id, llm=FakeLLM(LLM_REPLY),
                     settings=Settings(llm_daily_calls_per_event=1))
    assert generate_follow_ups_job(ctx)["llm_drafts"] == 1
    assert sorted(d.source for d in drafts(db)) == ["llm", "template", "template", "template"]


def test_both_jobs_are_registered_and_run_through_the_runner(engine, db, clock, summit):
    from core.jobs.runner import run_job
    from core.networking.follow_ups import GENERATE_JOB, REMINDER_JOB

    generated = run_job(GENERATE_JOB, engine=engine, clock=clock)
    reminded = run_job(REMINDER_JOB, engine=engine, clock=clock)
    assert (generated.status, generated.counts["drafts"]) == ("succeeded", 4)
    assert (reminded.status, reminded.counts["reminders"]) == ("succeeded", 3)
