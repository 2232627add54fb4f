"""Migration 0014 completes the huddle model without losing the huddles stored before it."""
from alembic import command
from sqlalchemy import create_engine, make_url, text

from db.migrate import alembic_config


def test_huddles_stored_before_migration_0014_survive_it_with_their_place_and_capacity(database_url):
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS huddle_migration"))
        conn.execute(text("CREATE DATABASE huddle_migration"))
    engine = create_engine(make_url(database_url).set(database="huddle_migration"))
    try:
        command.upgrade(alembic_config(engine), "0013")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO events (slug, name, timezone) VALUES ('e', 'E', 'UTC')"))
            conn.execute(text(
                "INSERT INTO people (email, first_name, last_name, company, role, interests, goals, skills_offered, "
                "skills_needed, allow_enrichment, enrichment_status, enrichment_tier) "
                "VALUES ('a@x.io', 'A', 'B', '', '', '{}', '{}', '{}', '{}', false, 'PENDING', 'TIER_0_PENDING')"))
            conn.execute(text("INSERT INTO huddles (event_id, topic, problem_statement, location, capacity, status, "
                              "version) VALUES (1, 'Hiring', 'p', 'Coffee bar', 6, 'forming', 1)"))
            conn.execute(text("INSERT INTO huddle_participants (huddle_id, person_id, status) "
                              "VALUES (1, 1, 'accepted')"))
        command.upgrade(alembic_config(engine), "head")
        with engine.connect() as conn:
            huddle = conn.execute(text("SELECT topic, location_name, max_participants, min_participants, "
                                       "duration_minutes, kind, status FROM huddles")).one()
            participant = conn.execute(text("SELECT status FROM huddle_participants")).scalar_one()
        assert tuple(huddle) == ("Hiring", "Coffee bar", 6, 3, 15, "problem", "forming")
        assert participant == "accepted"
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS huddle_migration WITH (FORCE)"))
        admin.dispose()
