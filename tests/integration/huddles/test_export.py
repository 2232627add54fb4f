"""The huddles export through the CLI: `python -m jobs export huddles --event SLUG --out FILE.csv` writes one row
per invited person, formula-safe."""
import csv
from datetime import timedelta

from core.huddles.responses import respond_to_huddle
from tests.integration.huddles.test_responses import gathering, huddle
from tests.integration.jobs.test_cli import cli


def test_the_export_writes_one_formula_safe_row_per_invited_person(db, clock, database_url, tmp_path):
    event_id, ids = gathering(db, 3)
    huddle_id = huddle(db, event_id, ids, clock.now() + timedelta(hours=1), topic="=HYPERLINK(\"x\")")
    respond_to_huddle(db, huddle_id=huddle_id, person_id=ids[0], response="accept", clock=clock)
    db.commit()
    out = tmp_path / "huddles.csv"
    result = cli("export", "huddles", "--event", "summit", "--out", str(out), database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "Wrote 3 huddle invitations" in result.stdout
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["huddle_id", "kind", "topic", "status", "starts_at", "location", "email",
                       "participant_status"]
    assert rows[1] == [str(huddle_id), "problem", "'=HYPERLINK(\"x\")", "forming", "2026-12-01T10:00:00+00:00",
                       "Lounge B", "ana0@x.io", "accepted"]
    assert [row[7] for row in rows[2:]] == ["invited", "invited"]

