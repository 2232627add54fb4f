"""Organizer and admin pages: funnel order, one-day charts, human labels, escaped user text, map outlines, titles."""
import base64
import json
import re
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select, update

from core.accounts.accounts import get_account
from core.analytics.event_analytics import refresh_event_analytics
from core.demo.seed import DEMO_EVENT_SLUG, seed_demo_activity
from core.events.events import add_organizer, get_event
from core.events.labels import GOAL_LABELS
from core.jobs.upload_kinds import DATASET_KINDS
from core.jobs.uploads import import_dataset
from core.recommend.people import refresh_recommendations
from core.recommend.program import refresh_program_recommendations
from db.models import Account, Event, EventAnalytics, Registration
from tests.fakes import FakeEmbedder
from tests.ui.conftest import page_app, texts
from ui.text import plain

GOAL_CODES = {str(goal) for goal in GOAL_LABELS}


def charts(at) -> list[dict]:
    """Every Plotly figure on the page, as its JSON spec."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def values(array) -> list:
    """A trace's array: a list, or Plotly's typed array ({"dtype", "bdata"}) decoded."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def cache_activity(db, event_id: int, days: list[str]) -> None:
    """Replace the cached activity with the same counts on each of `days`."""
    cached = db.get(EventAnalytics, event_id)
    counts = {"views": 2, "pings": 1, "connections": 0, "meetings": 0, "bookmarks": 1}
    cached.data = {**cached.data, "activity": [{"day": day, **counts} for day in days]}
    db.commit()


def chart_titled(at, prefix: str) -> dict:
    return next(c for c in charts(at) if c["layout"]["title"]["text"].startswith(prefix))


@pytest.fixture
def analysed(demo, clock):
    """The demo event with recommendations, demo activity on them, and its analytics cached."""
    event = get_event(demo, DEMO_EVENT_SLUG)
    refresh_recommendations(demo, event=event, embedder=FakeEmbedder(), clock=clock)
    refresh_program_recommendations(demo, event=event, embedder=FakeEmbedder(), clock=clock)
    spare = demo.scalar(select(Account.person_id).where(Account.username == "attendee"))
    seed_demo_activity(demo, event_id=event.id, clock=clock, spare_person_id=spare)
    refresh_event_analytics(demo, event_id=event.id, now=clock.now())
    demo.commit()
    return event


def test_the_analytics_funnel_runs_from_generated_to_connected(analysed):
    funnel = chart_titled(page_app("organizer", "pages/analytics.py"), "Recommendation funnel")["data"][0]
    assert funnel["y"] == ["Generated", "Viewed", "Pinged", "Connected"]
    assert values(funnel["x"]) == sorted(values(funnel["x"]), reverse=True)


def test_each_funnel_stage_shows_its_share_of_the_first_stage(analysed):
    funnel = chart_titled(page_app("organizer", "pages/analytics.py"), "Recommendation funnel")["data"][0]
    counts = values(funnel["x"])
    assert funnel["text"] == [f"{n:,} ({n / counts[0]:.0%})" for n in counts]
    assert funnel["text"][0].endswith("(100%)")


def test_one_day_of_activity_is_drawn_as_bars_per_action(analysed, demo):
    cache_activity(demo, analysed.id, ["2026-12-01"])
    activity = chart_titled(page_app("organizer", "pages/analytics.py"), "Activity on ")
    assert {trace["type"] for trace in activity["data"]} == {"bar"}
    assert "Views" in activity["data"][0]["x"]


def test_several_days_of_activity_are_lines_with_one_tick_per_day(analysed, demo):
    cache_activity(demo, analysed.id, ["2026-11-30", "2026-12-01"])
    activity = chart_titled(page_app("organizer", "pages/analytics.py"), "Activity per day")
    assert {trace["mode"] for trace in activity["data"]} == {"lines+markers"}
    assert activity["layout"]["xaxis"]["type"] == "category"


def test_goal_pairs_on_the_analytics_page_are_named_in_words(analysed):
    pairs = chart_titled(page_app("organizer", "pages/analytics.py"), "Goal pairs")["data"][0]["y"]
    assert pairs and not {part for pair in pairs for part in pair.split(" + ")} & GOAL_CODES


def test_the_analytics_tables_have_readable_column_names(analysed):
    columns = [c for frame in page_app("organizer", "pages/analytics.py").dataframe for c in frame.value.columns]
    assert "Average match score" in columns
    assert not [c for c in columns if "_" in c or not c[0].isupper()]


def test_one_registration_day_is_shown_as_a_number_not_a_one_point_chart(demo, clock):
    at = page_app("organizer", "pages/event_overview.py")
    assert {m.label: m.value for m in at.metric}[f"Registrations on {clock.now():%a %d %b %Y}"] == "60"
    assert not [c for c in charts(at) if c["layout"]["title"]["text"] == "Registrations per day"]


def test_registrations_over_several_days_are_charted_with_one_tick_per_day(demo, clock):
    first = demo.scalar(select(Registration.id).order_by(Registration.id).limit(1))
    demo.execute(update(Registration).where(Registration.id == first)
                 .values(registered_at=clock.now() - timedelta(days=1)))
    demo.commit()
    chart = chart_titled(page_app("organizer", "pages/event_overview.py"), "Registrations per day")
    days = [f"{clock.now() - timedelta(days=1):%d %b}", f"{clock.now():%d %b}"]
    assert values(chart["data"][0]["x"]) == days and values(chart["data"][0]["y"]) == [1, 59]
    assert chart["layout"]["xaxis"]["type"] == "category"


def test_the_event_overview_names_goals_in_words(demo):
    goals = chart_titled(page_app("organizer", "pages/event_overview.py"), "What attendees are here for")
    assert goals["data"][0]["y"] and set(goals["data"][0]["y"]) <= set(GOAL_LABELS.values())


def test_an_event_name_with_markdown_is_shown_as_text_on_the_event_overview(demo):
    name = "**Gala** [win a prize](http://e.vil) _now_"
    event = Event(slug="gala", name=name)
    demo.add(event)
    demo.flush()
    add_organizer(demo, event_id=event.id, account_id=get_account(demo, "organizer").id, actor_id=None)
    demo.commit()
    at = page_app("organizer", "pages/event_overview.py")
    at.selectbox[0].select_index(next(i for i, o in enumerate(at.selectbox[0].options) if "gala" in o)).run()
    assert plain(name) in texts(at) and name not in texts(at)


def test_an_uploaded_file_name_with_markdown_is_shown_as_text(demo, worker_pass):
    name = "**big** [click](http://e.vil).csv"
    at = page_app("admin", "pages/uploads.py")
    at.file_uploader[0].upload(name, b"email,first_name\nbroken,Bo\n", "text/csv")
    at.run()
    next(b for b in at.button if b.label == "Validate and load").click()
    at.run()
    worker_pass()
    shown = "\n".join(e.value for e in [*at.run().error, *at.warning, *at.success])
    assert plain(name) in shown and name not in shown


def test_the_upload_history_names_datasets_in_words(demo, clock):
    import_dataset(demo, kind="job_market", data=b"job_title,company,location\nCTO,Acme,Lisbon\n", filename="j.csv",
                   event_slug=None, actor_id=None, clock=clock, max_mb=5)
    demo.commit()
    at = page_app("admin", "pages/uploads.py")
    history = next(d.value for d in at.dataframe if "dataset" in d.value.columns)
    assert (history["dataset"].iloc[0], history["from"].iloc[0]) == (DATASET_KINDS["job_market"].label,
                                                                      "Command line")


def test_the_talent_map_draws_country_outlines_under_the_other_layers(demo):
    spec = json.loads(page_app("organizer", "pages/talent_heatmap.py").get("deck_gl_json_chart")[0].proto.json)
    outlines = spec["layers"][0]
    assert (outlines["@@type"], outlines["id"]) == ("GeoJsonLayer", "countries")
    names = {feature["properties"]["name"] for feature in outlines["data"]["features"]}
    assert len(names) > 150 and {"Germany", "India", "Brazil", "Portugal"} <= names


def test_job_posting_text_in_the_map_tooltip_is_html_escaped(demo, clock):
    data = b'job_title,company,location,required_skills\nDev,Acme,"Berlin, Germany",<img src=x onerror=alert(1)>\n'
    assert import_dataset(demo, kind="job_market", data=data, filename="jobs.csv", event_slug=None, actor_id=None,
                          clock=clock, max_mb=5).ok
    demo.commit()
    at = page_app("organizer", "pages/talent_heatmap.py")
    next(t for t in at.toggle if "job-market demand" in t.label).set_value(True).run()
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    jobs = next(layer for layer in spec["layers"] if layer["id"] == "jobs")
    assert not [p for p in jobs["data"] if "<" in p["skills"] + p["location"]]


@pytest.mark.parametrize(("role", "page"), [
    ("organizer", "pages/analytics.py"), ("organizer", "pages/event_overview.py"),
    ("organizer", "pages/talent_heatmap.py"), ("admin", "pages/users.py"), ("admin", "pages/uploads.py"),
    ("admin", "pages/jobs.py"), ("admin", "pages/audit_log.py")])
def test_the_page_title_is_words_without_an_emoji(demo, role, page):
    assert re.fullmatch(r"[A-Z][a-z]+( [a-z]+)*", page_app(role, page).title[0].value)


def test_without_recommendations_the_analytics_page_says_so_instead_of_an_empty_funnel(demo, clock):
    refresh_event_analytics(demo, event_id=get_event(demo, DEMO_EVENT_SLUG).id, now=clock.now())
    demo.commit()
    at = page_app("organizer", "pages/analytics.py")
    assert "No people recommendations yet" in texts(at)
    assert not [c for c in charts(at) if c["layout"]["title"]["text"].startswith("Recommendation funnel")]
