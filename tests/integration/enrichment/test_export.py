"""The enrichment job and export through the CLI: `python -m jobs run enrich-profiles --event SLUG` against the
stubs, then `python -m jobs export enrichment --event SLUG --out FILE.csv`."""
import csv

from db.models import Person
from tests.integration.enrichment.test_agent import ANA_RESULTS, ana, event_with
from tests.integration.jobs.test_cli import cli
from tests.stubs.enrichment_stubs import GitHubStub, SearchStub


def test_the_cli_enriches_an_event_and_exports_one_formula_safe_row_per_live_person(db, database_url, tmp_path):
    _, [ana_id, _, gone_id] = event_with(db, [ana(), {"first_name": "=cmd", "allow_enrichment": False},
                                              {"first_name": "Gone"}])
    db.get(Person, gone_id).deleted_at = db.get(Person, ana_id).created_at
    db.commit()
    with SearchStub(answers={"ana lopez": ANA_RESULTS}) as search, GitHubStub() as github:
        github.user("analopez", languages=["=Python"])
        env = {"SEARCH_API_URL": search.url, "SEARCH_API_KEY": "k", "GITHUB_API_URL": github.url}
        ran = cli("run", "enrich-profiles", "--event", "summit", database_url=database_url, env=env)
    assert ran.returncode == 0, ran.stderr
    assert "'completed': 1" in ran.stdout
    out = tmp_path / "enrichment.csv"
    result = cli("export", "enrichment", "--event", "summit", "--out", str(out), database_url=database_url)
    assert result.returncode == 0, result.stderr
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["email", "status", "tier", "sources", "skills"]
    assert [r[0] for r in rows[1:]] == ["p0@x.io", "p1@x.io"]
    assert rows[1][1:3] == ["COMPLETED", "TIER_1_RICH"]
    assert "linkedin" in rows[1][3].split("; ") and rows[1][4].startswith("'=Python")
    assert rows[2][1:] == ["PENDING", "TIER_0_PENDING", "", ""]
