"""The Capsules page under AppTest: the "being prepared" state with its queued ranking, ranked capsules with the
reasons, reading (a view) and liking, trending, a learning path to a role, and writing a capsule with clear errors."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.accounts.accounts import create_account
from core.community.capsule_ranking import rank_readers
from core.community.capsules import record_view
from core.platform.clock import FixedClock, SystemClock
from db.models import Alumnus, CareerRole, CareerRoleSkill, JobRequest, KnowledgeCapsule
from tests.integration.community.capsule_world import capsule, person
from tests.ui.conftest import page_app, texts

PAGE = "pages/capsules.py"
HOSTILE = "**Bold** [click](https://evil.example)"


@pytest.fixture
def reader(db):
    """An attendee "dana" who offers Python and wants SQL, and three capsules (one with a hostile title)."""
    now = SystemClock().now()
    dana = person(db, "dana@x.io", offered=["Python"], needed=["SQL"])
    create_account(db, actor_id=None, username="dana", email="dana@accounts.example", display_name="Dana",
                   password="attendee-pass-1", roles=["attendee"], person_id=dana)
    ids = [capsule(db, "Window functions in SQL", ["SQL"], now=now, age_days=2, views=9, likes=3,
                   content="Use OVER (PARTITION BY ...) to rank rows."),
           capsule(db, "Sourdough at home", ["Baking"], now=now, age_days=40, author_email="b@x.io"),
           capsule(db, HOSTILE, ["Security"], now=now, age_days=5, author_email="c@x.io")]
    db.commit()
    return db, dana, ids


def ranked(db, dana):
    rank_readers(db, person_ids=[dana], clock=SystemClock())
    db.commit()


def test_a_reader_without_a_ranking_is_told_it_is_being_prepared_and_it_is_queued(reader):
    db, dana, _ = reader
    at = page_app("dana", PAGE)
    assert not at.exception
    assert any("being prepared" in i.value for i in at.info)
    assert db.scalars(select(JobRequest.person_id).where(JobRequest.job_id == "capsule-rankings")).all() == [dana]


def test_with_no_capsule_at_all_the_page_invites_the_first_one_and_queues_nothing(db):
    dana = person(db, "dana@x.io", offered=["Python"], needed=["SQL"])
    create_account(db, actor_id=None, username="dana", email="dana@accounts.example", display_name="Dana",
                   password="attendee-pass-1", roles=["attendee"], person_id=dana)
    db.commit()
    at = page_app("dana", PAGE)
    assert not at.exception
    assert any("No capsules yet" in i.value and "Write a capsule" in i.value for i in at.info)
    assert db.scalar(select(func.count()).select_from(JobRequest)) == 0


def test_a_reader_sees_their_ranked_capsules_with_why_in_words(reader):
    db, dana, _ = reader
    db.add(Alumnus(email="dana@x.io", name="Dana Test", skills=["SQL"]))  # her alumni record's skills count
    ranked(db, dana)
    at = page_app("dana", PAGE)
    assert not at.exception
    why = [m.value for m in at.markdown if m.value.startswith("Why:")]
    assert why[0] == "Why: matches your skills SQL; popular; recent"
    assert at.markdown[0].value.startswith("**Window functions in SQL**")
    assert not any("evil.example" in m.value and "](" in m.value for m in at.markdown)  # shown as typed


def test_reading_a_capsule_counts_a_view_and_shows_its_content(reader):
    db, dana, ids = reader
    ranked(db, dana)
    at = page_app("dana", PAGE)
    at.button(key=f"capsule_read_{ids[0]}").click().run()
    assert not at.exception
    assert any("PARTITION BY" in m.value for m in at.markdown)
    db.expire_all()
    assert db.get(KnowledgeCapsule, ids[0]).views_count == 10


def test_liking_a_capsule_counts_it_and_offers_to_take_it_back(reader):
    db, dana, ids = reader
    ranked(db, dana)
    at = page_app("dana", PAGE)
    at.button(key=f"capsule_like_{ids[0]}").click().run()
    assert not at.exception
    assert at.button(key=f"capsule_like_{ids[0]}").label == "Unlike"
    db.expire_all()
    assert db.get(KnowledgeCapsule, ids[0]).likes_count == 4


def test_a_reader_sees_your_capsule_instead_of_like_and_bookmark_on_their_own(reader):
    db, dana, _ = reader
    own = capsule(db, "Dana on Python", ["Python"], now=SystemClock().now(), author_id=dana,
                  author_email="dana@x.io")
    db.commit()
    ranked(db, dana)
    at = page_app("dana", PAGE)
    assert not at.exception
    keys = {b.key for b in at.button}
    assert f"capsule_like_{own}" not in keys and f"capsule_mark_{own}" not in keys
    assert "Your capsule" in texts(at)


def test_a_goal_path_before_the_capsules_are_indexed_says_it_matched_words(reader):
    at = page_app("dana", PAGE)
    at.radio(key="capsules_section").set_value("Learning path").run()
    at.radio(key="capsules_towards").set_value("A goal").run()
    at.text_input(key="capsules_goal").input("window functions").run()
    assert not at.exception
    shown = texts(at)
    assert "1. Window functions in SQL" in shown and "share words with your goal" in shown


def test_trending_lists_the_capsules_read_this_week(reader):
    db, dana, ids = reader
    now = SystemClock().now()
    record_view(db, capsule_id=ids[1], person_id=dana, clock=FixedClock(now - timedelta(days=1)))
    db.commit()
    at = page_app("dana", PAGE)
    at.radio(key="capsules_section").set_value("Trending").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame["capsule"].tolist() == ["Sourdough at home"] and frame["growth"].tolist() == ["new this week"]


def test_a_learning_path_to_a_role_lists_capsules_for_the_missing_skills_with_the_total_time(reader):
    db, _, _ = reader
    db.add(CareerRole(role="Data Engineer", alumni_count=5))
    db.add_all([CareerRoleSkill(role="Data Engineer", skill=s, mover_share=0.5, demand=0.5, priority=p)
                for s, p in (("Python", 0.9), ("SQL", 0.8), ("Kafka", 0.5))])
    db.commit()
    at = page_app("dana", PAGE)
    at.radio(key="capsules_section").set_value("Learning path").run()
    assert not at.exception
    shown = texts(at)
    assert "1. Window functions in SQL" in shown and "about 5 min of reading" in shown
    assert "No capsule teaches yet: Kafka" in shown


def test_publishing_an_empty_capsule_says_what_is_missing_and_a_good_one_is_stored(reader):
    db, _, _ = reader
    at = page_app("dana", PAGE)
    at.radio(key="capsules_section").set_value("Write a capsule").run()
    at.button[-1].click().run()
    assert "Give the capsule a title." in at.error[0].value and "Add at least one tag" in at.error[0].value
    at.text_input[0].input("Reading query plans")
    at.text_area[0].input("EXPLAIN ANALYZE shows where a query spends its time, node by node.")
    at.text_input[1].input("SQL, Postgres")
    at.button[-1].click().run()
    assert not at.exception and "Published" in at.success[0].value
    assert db.scalar(select(func.count()).select_from(KnowledgeCapsule)) == 4


def test_the_link_from_my_career_opens_the_learning_path_of_its_role(reader):
    from tests.ui.conftest import logged_in_app

    db, _, _ = reader
    db.add_all([CareerRole(role="Data Engineer", alumni_count=5), CareerRole(role="Analyst", alumni_count=9)])
    db.commit()
    at = logged_in_app("dana").run()
    at.query_params["role"] = "Data Engineer"
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert at.radio(key="capsules_section").value == "Learning path"
    assert at.selectbox(key="capsules_role").value == "Data Engineer"
