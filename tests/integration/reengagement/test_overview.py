"""The Re-engagement page's read model on a real Postgres: counts, the histogram, filters, detail and the send list."""
import csv
import io
from datetime import UTC, date, datetime

from core.reengagement.overview import (
    NEVER_BUCKET,
    Activity,
    ProfileFilters,
    filter_choices,
    member_detail,
    member_page,
    overview,
    profiles_version,
    send_list_csv,
    send_list_filters,
    suggested_angle,
)
from db.models import BehaviorUser, ReengagementDecision, ReengagementProfile

SEND = ReengagementDecision.SEND_PERSONALISED_MESSAGE
ASK = ReengagementDecision.REQUEST_MORE_DETAILS
WAIT = ReengagementDecision.WAIT
SARAH_FIELDS = {
    "friends": ["Mike Jones", "Jenny Kim"], "event_history_hosts": ["Chef Mario", "Chef Ploy"],
    "event_history": [{"name": "Italian Wine Tasting", "date": "2024-01-15", "venue": "The Vault"},
                      {"name": "Thai Cooking Class", "date": "2024-01-22", "venue": "Culinary Studio"},
                      {"name": "Farm to Table Dinner", "date": "2024-02-05", "venue": "The Vault"}],
    "venue_history": ["The Vault", "Culinary Studio"], "number_of_events_attended": 3,
    "last_event_date": "2024-02-05", "favorite_event_types": ["wine_tasting"], "average_events_per_month": 1.5,
    "days_since_last_event": 5, "has_queued_messages": True, "queued_message_count": 1, "has_sent_messages": True,
    "last_message_sent_date": "2024-01-25", "days_since_last_message": 16, "total_messages_sent": 1,
    "can_send_new_message": True, "has_enough_fields_to_personalize": True, "is_first_time_user": False,
    "should_request_more_details": False, "is_healthy_active_user": True, "is_on_team": False,
    "personalization_score": 85, "total_orders": 2}


def add_member(db, external_id: str, *, decision=SEND, score: int = 50, events: int = 0, days: int | None = None,
               queued: int = 0, name: str | None = None, neighbourhood: str | None = None,
               interests: tuple[str, ...] = (), summary: str = "A member.", fields: dict | None = None,
               **user_fields) -> int:
    """A behavioural user with a stored profile, as the re-engagement job writes it."""
    user = BehaviorUser(external_id=external_id, email=f"{external_id}@example.org", name=name,
                        interests=list(interests), home_neighborhood=neighbourhood, **user_fields)
    db.add(user)
    db.flush()
    stored = {"number_of_events_attended": events, "days_since_last_event": days, "queued_message_count": queued,
              "has_queued_messages": queued > 0, "personalization_score": score, "is_first_time_user": events == 0,
              "is_healthy_active_user": events >= 3, "should_request_more_details": decision == ASK,
              **(fields or {})}
    db.add(ReengagementProfile(
        user_id=user.id, computed_at=datetime(2024, 2, 10, 6, tzinfo=UTC), as_of=date(2024, 2, 10),
        input_hash="x" * 64, fields=stored, summary=summary, decision=decision, decision_reason="because",
        personalization_score=score, number_of_events_attended=events, days_since_last_event=days,
        is_first_time_user=events == 0, is_healthy_active_user=events >= 3, has_queued_messages=queued > 0,
        can_send_new_message=True))
    db.flush()
    return user.id


def test_nothing_stored_gives_no_overview_and_no_version(db):
    assert overview(db) is None and profiles_version(db) is None


def test_the_overview_counts_members_per_decision(db):
    add_member(db, "a", decision=SEND)
    add_member(db, "b", decision=SEND)
    add_member(db, "c", decision=WAIT)
    assert overview(db).decisions == {SEND: 2, ASK: 0, WAIT: 1}


def test_the_histogram_puts_each_member_in_its_days_since_bucket_and_never_last(db):
    for n, days in enumerate([0, 7, 8, 30, 90, 91, 365, 366, None]):
        add_member(db, f"m{n}", days=days)
    assert overview(db).days_since_last_event == [
        ("0–7 days", 2), ("8–30 days", 2), ("31–90 days", 1), ("91–180 days", 1), ("181–365 days", 1),
        ("over a year", 1), (NEVER_BUCKET, 1)]


def test_members_come_by_score_with_the_total_when_limited(db):
    for n in range(5):
        add_member(db, f"m{n}", score=10 * n)
    rows, total = member_page(db, ProfileFilters(), limit=3)
    assert [r["score"] for r in rows] == [40, 30, 20] and total == 5


def test_the_filters_narrow_by_decision_activity_queue_neighbourhood_and_interest(db):
    add_member(db, "sarah", events=3, queued=1, neighbourhood="Mission District", interests=("hiking", "cooking"))
    add_member(db, "mike", events=1, neighbourhood="SOMA", interests=("cooking",))
    add_member(db, "new", decision=ASK, interests=("hiking",))

    def ids(**chosen) -> list[str]:
        return sorted(r["email"].split("@")[0] for r in member_page(db, ProfileFilters(**chosen))[0])

    assert ids(decision=ASK) == ["new"]
    assert ids(activity=Activity.ACTIVE) == ["sarah"]
    assert ids(activity=Activity.INACTIVE) == ["mike", "new"]
    assert ids(first_time_only=True) == ["new"]
    assert ids(queued_only=True) == ["sarah"]
    assert ids(neighbourhood="SOMA") == ["mike"]
    assert ids(interest="hiking") == ["new", "sarah"]
    assert ids(interest="hiking", activity=Activity.INACTIVE) == ["new"]


def test_the_choices_list_each_neighbourhood_and_interest_once(db):
    add_member(db, "a", neighbourhood="SOMA", interests=("hiking", "cooking"))
    add_member(db, "b", neighbourhood="SOMA", interests=("cooking",))
    add_member(db, "c", neighbourhood="", interests=("",))
    assert filter_choices(db) == {"neighbourhoods": ["SOMA"], "interests": ["cooking", "hiking"]}


def test_a_members_detail_labels_every_field_in_words(db):
    user_id = add_member(db, "sarah", name="Sarah Chen", fields=SARAH_FIELDS, summary="Sarah loves The Vault.")
    detail = member_detail(db, user_id)
    shown = dict(detail.fields)
    assert detail.decision_label == "Send a personalised message"
    assert shown["Days since last event"] == "5" and shown["Friends (2+ shared events)"] == "Mike Jones; Jenny Kim"
    assert shown["Events attended"] == "Italian Wine Tasting; Thai Cooking Class; Farm to Table Dinner"
    assert detail.events[0] == {"event": "Italian Wine Tasting", "date": "2024-01-15", "venue": "The Vault"}
    assert shown["Favourite event types"] == "wine tasting"
    assert shown["Is first time user"] == "No" and shown["Last message sent date"] == "2024-01-25"


def test_a_long_list_field_shows_its_first_items_and_how_many_more():
    from core.reengagement.overview import show_value

    assert show_value([f"Friend {n}" for n in range(10)]) == (
        "Friend 0; Friend 1; Friend 2; Friend 3; Friend 4; Friend 5; Friend 6; Friend 7 … and 2 more")


def test_the_angle_invites_to_their_favourite_kind_and_names_their_host_and_friends():
    assert suggested_angle(SARAH_FIELDS, SEND) == (
        "Invite to a wine tasting — Chef Mario is their most frequent host; they often come with Mike Jones and "
        "Jenny Kim")


def test_the_angle_offers_two_favourite_kinds_when_they_tie():
    fields = {"number_of_events_attended": 2, "favorite_event_types": ["cooking_class", "dinner", "brunch"]}
    assert suggested_angle(fields, SEND) == "Invite to a cooking class or dinner"


def test_the_angle_for_missing_details_asks_for_what_is_missing():
    fields = {"interests": ["hiking"], "age": 30, "cuisine_preference": [], "occupation": None}
    assert suggested_angle(fields, ASK) == "Ask about their cuisine preferences and occupation"


def test_the_angle_for_someone_who_never_came_welcomes_them_to_a_first_event():
    assert suggested_angle({"number_of_events_attended": 0, "interests": ["hiking"]}, SEND) == (
        "Welcome them to a first event around hiking")


def test_the_send_list_has_its_columns_only_sends_by_default_and_neutralises_formulas(db):
    add_member(db, "sarah", fields=SARAH_FIELDS, summary='=HYPERLINK("http://evil","x")', score=85)
    add_member(db, "asked", decision=ASK, occupation="Chef")
    rows = list(csv.reader(io.StringIO(send_list_csv(db, send_list_filters(ProfileFilters())))))
    assert rows[0] == ["id", "email", "decision", "summary", "suggested_angle"]
    assert rows[1][:3] == ["sarah", "sarah@example.org", SEND] and len(rows) == 2
    assert rows[1][3] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert rows[1][4].startswith("Invite to a wine tasting — Chef Mario is their most frequent host")


def test_the_send_list_follows_a_chosen_decision(db):
    add_member(db, "sarah")
    add_member(db, "asked", decision=ASK, occupation="Chef")
    rows = list(csv.reader(io.StringIO(send_list_csv(db, send_list_filters(ProfileFilters(decision=ASK))))))
    assert [r[0] for r in rows[1:]] == ["asked"]
    assert rows[1][4] == "Ask about their cuisine preferences and interests"
