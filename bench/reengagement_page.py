"""Benchmark of the Re-engagement page with many stored profiles.

    .venv/bin/python -m bench.reengagement_page [--members 100000] [--repeats 5] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir): an organizer account, and N community members with a stored
re-engagement profile each (inserted in bulk by generate_series: decisions 40 % send, 30 % ask, 30 % wait, days since
the last event spread over two years, a tenth never came, 25 neighbourhoods, 40 interests). It times:
- the warm render of the Re-engagement page (AppTest, logged in as the organizer, second run; the median of
  `--repeats` fresh apps), held to the 1 s target: counts per decision, the days-since chart, the filters and their
  choices, the first 500 members by score, the send list's size and one member's detail;
- the first render of the page with cold caches (the GROUP BY counts, the histogram, the choices and the first page);
- the send-list download (the CSV the button makes when clicked): its time, bytes and rows.
Nothing is written unless `--json PATH` is given.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import time
from pathlib import Path

from bench.database import throwaway_database
from bench.machine import TARGET_TABLE, cpu_model, emit

PAGE_TARGET_S = 1.0
PAGE = "pages/reengagement.py"
PASSWORD = "organizer-bench-1"

MEMBERS_SQL = """
INSERT INTO behavior_users (id, external_id, email, name, interests, cuisine_preference, dietary_restrictions, age,
                            occupation, home_neighborhood, work_neighborhood, is_on_team)
SELECT i, 'user_' || i, 'member' || i || '@example.org', 'Member ' || i,
       ARRAY['interest ' || (i % 40), 'interest ' || ((i * 7) % 40)],
       CASE WHEN i % 3 = 0 THEN ARRAY[]::text[] ELSE ARRAY['Italian', 'Thai'] END, ARRAY[]::text[],
       20 + i % 50, CASE WHEN i % 4 = 0 THEN NULL ELSE 'Occupation ' || (i % 30) END,
       'Neighbourhood ' || (i % 25), 'Neighbourhood ' || ((i + 3) % 25), i % 200 = 0
FROM generate_series(1, :members) AS i
"""
PROFILES_SQL = """
INSERT INTO reengagement_profiles (user_id, computed_at, as_of, input_hash, fields, summary, decision,
                                   decision_reason, personalization_score, number_of_events_attended,
                                   days_since_last_event, is_first_time_user, is_healthy_active_user,
                                   has_queued_messages, can_send_new_message)
SELECT i, now(), DATE '2024-02-10', md5(i::text) || md5(i::text),
       jsonb_build_object(
           'friends', jsonb_build_array('Member ' || (i + 1), 'Member ' || (i + 2)),
           'event_history_hosts', jsonb_build_array('Host ' || (i % 12)),
           'event_history', jsonb_build_array(jsonb_build_object('name', 'Dinner ' || (i % 90),
                                                                 'date', '2024-01-15', 'venue', 'Venue ' || (i % 15))),
           'venue_history', jsonb_build_array('Venue ' || (i % 15)),
           'number_of_events_attended', events, 'last_event_date', '2024-01-15',
           'favorite_event_types', jsonb_build_array('wine_tasting'), 'average_events_per_month', 0.5,
           'days_since_last_event', days, 'has_queued_messages', i % 5 = 0, 'queued_message_count', (i % 5 = 0)::int,
           'has_sent_messages', true, 'last_message_sent_date', '2024-01-25', 'days_since_last_message', 16,
           'total_messages_sent', 1, 'can_send_new_message', i % 10 < 7, 'has_enough_fields_to_personalize',
           i % 10 < 4, 'is_first_time_user', events = 0, 'should_request_more_details', i % 10 BETWEEN 4 AND 6,
           'is_healthy_active_user', events >= 3, 'is_on_team', i % 200 = 0, 'personalization_score', score,
           'total_orders', i % 7),
       'Member ' || i || ' is a ' || (20 + i % 50) || '-year-old living in Neighbourhood ' || (i % 25)
           || '. They are interested in interest ' || (i % 40) || ' and have attended ' || events
           || ' events, most recently ' || coalesce(days::text, 'never') || ' days ago at Venue ' || (i % 15)
           || '. They often attend events hosted by Host ' || (i % 12) || ' with Member ' || (i + 1) || '.',
       CASE WHEN i % 10 < 4 THEN 'send_personalised_message' WHEN i % 10 < 7 THEN 'request_more_details'
            ELSE 'wait' END,
       'Bench member', score, events, days, events = 0, events >= 3, i % 5 = 0, i % 10 < 7
FROM (SELECT i, CASE WHEN i % 10 = 9 THEN 0 ELSE 1 + i % 8 END AS events,
             CASE WHEN i % 10 = 9 THEN NULL ELSE (i * 37) % 730 END AS days, (i * 13) % 101 AS score
      FROM generate_series(1, :members) AS i) AS generated
"""


def _recording_media_managers() -> list:
    """Streamlit's media file managers of the coming AppTest runs, so a deferred download can be made as a click
    would."""
    import streamlit.testing.v1.app_test as app_test_module
    from streamlit.runtime.media_file_manager import MediaFileManager

    managers: list = []

    class Recording(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            managers.append(self)

    app_test_module.MediaFileManager = Recording
    return managers


def run(members: int, repeats: int) -> dict:
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from bench.apptest import logged_in_app, warm_render
    from core.accounts.accounts import create_account
    from db.engine import make_engine

    figures: dict = {"members": members, "repeats": repeats, "cpu": cpu_model(), "cores": os.cpu_count()}
    with throwaway_database("bench-reengagement-page-") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            create_account(session, actor_id=None, username="organizer", email="organizer@example.org",
                           display_name="Bench Organizer", password=PASSWORD, roles=["organizer"])
            started = time.perf_counter()
            session.execute(text(MEMBERS_SQL), {"members": members})
            session.execute(text(PROFILES_SQL), {"members": members})
            session.execute(text("ANALYZE behavior_users"))
            session.execute(text("ANALYZE reengagement_profiles"))
            session.commit()
            figures["insert_s"] = time.perf_counter() - started
        engine.dispose()
        managers = _recording_media_managers()
        cold = logged_in_app(url, "organizer").run()
        cold.switch_page(PAGE)
        started = time.perf_counter()
        cold.run()
        figures["cold_page_s"] = time.perf_counter() - started
        renders = []
        for _ in range(repeats):
            seconds, at = warm_render(url, "organizer", PAGE)
            renders.append(seconds)
        figures["page_s"] = statistics.median(renders)
        figures["page_min_s"] = min(renders)
        figures["page_max_s"] = max(renders)
        figures["metrics"] = {m.label: m.value for m in at.metric}
        figures["table_rows"] = len(at.dataframe[0].value)
        figures["caption"] = next(c.value for c in at.caption if "highest personalisation score" in c.value)
        button = next(b for b in at.get("download_button") if b.label == "Download the send list (CSV)")
        entry = managers[-1]._deferred_callables[button.proto.deferred_file_id]
        started = time.perf_counter()
        data = entry["callable"]()
        figures["download_s"] = time.perf_counter() - started
        rows = list(csv.reader(io.StringIO(data.decode())))
        figures["download_bytes"] = len(data)
        figures["download_rows"] = len(rows) - 1
        figures["download_header"] = rows[0]
    return figures


def format_report(r: dict) -> str:
    measured = r["page_s"]
    met = "yes" if measured <= PAGE_TARGET_S else "**no**"
    return "\n".join([
        f"Re-engagement page: {r['members']:,} members with stored profiles (inserted in {r['insert_s']:.1f} s); "
        f"{r['table_rows']} listed ({r['caption']}).", "",
        *TARGET_TABLE,
        f"| Re-engagement page (AppTest, warm, median of {r['repeats']}) | {1000 * measured:.0f} ms "
        f"(min {1000 * r['page_min_s']:.0f}, max {1000 * r['page_max_s']:.0f}) | ≤ {1000 * PAGE_TARGET_S:.0f} ms "
        f"| {PAGE_TARGET_S / measured:.1f}× under | {met} |",
        f"| Re-engagement page, first render (cold caches: counts, histogram, choices, page) | "
        f"{1000 * r['cold_page_s']:.0f} ms | | | |",
        f"| Send-list download (made on click) | {r['download_s']:.2f} s: {r['download_rows']:,} rows, "
        f"{r['download_bytes'] / 1e6:.1f} MB | | | |", "",
        "Counts: " + ", ".join(f"{label} {value}" for label, value in r["metrics"].items()) + ".",
        f"Send-list header: {','.join(r['download_header'])}.",
        f"CPU: {r['cpu']} ({r['cores']} cores).",
    ])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reengagement_page",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000, help="members with stored profiles (100000)")
    parser.add_argument("--repeats", type=int, default=5, help="fresh apps whose warm render is timed (5)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.members, args.repeats)
    emit(format_report(result), result, args.json)


if __name__ == "__main__":
    main()
