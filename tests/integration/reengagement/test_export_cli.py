"""`python -m jobs run reengagement` and `export reengagement` as real processes on a real Postgres, and the CSV."""
import csv
import io
import json
from datetime import date

from core.platform.settings import Settings
from core.reengagement.export import COLUMNS, export_reengagement_csv
from core.reengagement.fields import CALCULATED_FIELDS
from tests.integration.jobs.test_cli import cli
from tests.integration.reengagement.test_store import AS_OF, SARAH, SEED_DOCUMENT, load_seed_sample


def rows_of(text: str) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_cli_runs_the_job_for_a_fixed_day_and_exports_sarahs_row(db, database_url, tmp_path):
    document = tmp_path / "behaviour.json"
    document.write_text(json.dumps(SEED_DOCUMENT))
    loaded = cli("ingest", str(document), "--kind", "behavioral", database_url=database_url)
    assert loaded.returncode == 0, loaded.stderr
    ran = cli("run", "reengagement", "--as-of", "2024-02-10", database_url=database_url)
    assert ran.returncode == 0 and "succeeded" in ran.stdout, ran.stdout + ran.stderr
    out = tmp_path / "profiles.csv"
    exported = cli("export", "reengagement", "--out", str(out), database_url=database_url)
    assert exported.returncode == 0 and "Wrote 4 members" in exported.stdout, exported.stderr
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    sarah = rows_of(text)["user_001"]
    assert (sarah["email"], sarah["decision"]) == ("sarah.chen@email.com", "send_personalised_message")
    assert (sarah["days_since_last_event"], sarah["days_since_last_message"]) == ("5", "16")
    assert sarah["friends"] == "Mike Jones;Jenny Kim"
    assert sarah["venue_history"] == "The Vault;Culinary Studio"
    assert (sarah["last_event_date"], sarah["can_send_new_message"], sarah["is_on_team"]) == (
        "2024-02-05", "true", "false")
    assert sarah["personalization_score"] == "85" and "Mike Jones" in sarah["summary"]


def test_export_as_of_a_day_computes_without_a_stored_profile(db, database_url, clock, tmp_path):
    load_seed_sample(db, clock)
    out = tmp_path / "fresh.csv"
    exported = cli("export", "reengagement", "--out", str(out), "--as-of", "2024-02-20", database_url=database_url)
    assert exported.returncode == 0, exported.stderr
    assert rows_of(out.read_text(encoding="utf-8"))["user_001"]["days_since_last_event"] == "15"


def test_export_without_stored_profiles_says_to_run_the_job_first(db, database_url, tmp_path):
    exported = cli("export", "reengagement", "--out", str(tmp_path / "x.csv"), database_url=database_url)
    assert exported.returncode == 2 and "python -m jobs run reengagement" in exported.stderr
    assert not (tmp_path / "x.csv").exists()


def test_the_other_exports_still_need_an_event(db, database_url, tmp_path):
    exported = cli("export", "huddles", "--out", str(tmp_path / "h.csv"), database_url=database_url)
    assert exported.returncode == 2 and "needs --event" in exported.stderr


def test_export_cells_that_a_spreadsheet_would_run_are_neutralised(db, clock):
    hostile = {"users": [{**SARAH, "name": "=HYPERLINK(\"http://evil\")"},
                         {"id": "u9", "email": "mike.jones@email.com", "name": "@SUM(1)"}],
               "events": SEED_DOCUMENT["events"][:2]}
    load_seed_sample(db, clock, hostile)
    rows = rows_of(export_reengagement_csv(db, as_of=AS_OF, settings=Settings()))
    assert rows["user_001"]["friends"] == "'@SUM(1)"
    assert not any(cell.lstrip().startswith(("=", "+", "-", "@")) for row in rows.values() for cell in row.values())


def test_every_calculated_field_is_a_column_after_id_email_decision_and_summary(db, clock):
    load_seed_sample(db, clock)
    text = export_reengagement_csv(db, as_of=date(2024, 2, 10), settings=Settings())
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["id", "email", "decision", "summary", *CALCULATED_FIELDS]
    assert len(rows_of(text)) == 4
