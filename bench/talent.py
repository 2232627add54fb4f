"""Benchmark of the alumni pipeline and the talent heatmap clustering, against seed 003's targets.

    .venv/bin/python -m bench.talent [--rows 100000] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir) it times:
- upload: a synthetic alumni CSV of N rows (`core.demo.generate_demo_alumni`, written as seed 003's
  schema with city names, not coordinates) through `import_dataset`: reading, validation, cleaning,
  offline geocoding and the bulk upsert. Seed 003's target is 1,000 rows per minute.
- cluster: `load_points` + `find_hubs` (DBSCAN, haversine) over every located alumnus, as the
  heatmap page does: Postgres counts the skills, companies and industries per place, and the hub
  summaries are sorted and summed in numpy. Seed 003's target is 10 minutes; ours is 2 s.
- render: the organizer's Talent heatmap page over all of them, with Streamlit's AppTest (warm run).
Both are reported with the seed's target for the same N, and the ratio.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import sys
import time
from pathlib import Path

from bench.database import throwaway_database

SEED_ROWS_PER_MINUTE = 1000
SEED_CLUSTER_SECONDS = 600
TARGETS = {"upload_s": 30.0, "cluster_s": 2.0}
COLUMNS = ["email", "name", "batch_year", "department", "current_company", "current_role", "industry", "location",
           "skills", "linkedin_url"]


def alumni_csv(n: int, seed: int) -> bytes:
    """N synthetic alumni in seed 003's CSV schema."""
    from core.demo.generate import generate_demo_alumni

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for i, row in enumerate(generate_demo_alumni(n=n, seed=seed)):
        local, _, domain = row["email"].partition("@")
        writer.writerow([f"{local}.{i}@{domain}", row["name"], row["batch_year"], row["department"],
                         row["current_company"], row["current_role"], row["industry"], row["location"],
                         ";".join(row["skills"]), row["linkedin_url"] or ""])
    return buffer.getvalue().encode()


def run(n: int, seed: int) -> dict:
    from sqlalchemy.orm import Session

    from bench.machine import cpu_model
    from core.accounts.accounts import create_account
    from core.alumni.talent import find_hubs, load_points
    from core.jobs.uploads import import_dataset
    from core.platform.clock import SystemClock
    from db.engine import make_engine

    data = alumni_csv(n, seed)
    with throwaway_database("bench-talent-") as url:
        engine = make_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            report = import_dataset(session, kind="alumni", data=data, filename="alumni.csv", event_slug=None,
                                    actor_id=None, clock=SystemClock(), max_mb=len(data) / 2**20 + 10,
                                    source="bench")
            session.commit()
            upload_s = time.perf_counter() - started
            if not report.ok or report.inserted != n:
                raise RuntimeError(f"the upload failed: {report.summary()}")
            started = time.perf_counter()
            points = load_points(session)
            hubs, labels = find_hubs(points)
            cluster_s = time.perf_counter() - started
            create_account(session, actor_id=None, username="bench-organizer", email="organizer@bench.example",
                           display_name="Bench Organizer", password="bench-password-1", roles=["organizer"])
            session.commit()
        engine.dispose()
        render_s, render_hubs = render_heatmap(url)
    return {"rows": n, "megabytes": round(len(data) / 2**20, 1), "upload_s": upload_s, "render_s": render_s,
            "render_hub_rows": render_hubs,
            "seed_upload_s": n / SEED_ROWS_PER_MINUTE * 60, "located": len(points), "hubs": len(hubs),
            "cluster_s": cluster_s, "seed_cluster_s": SEED_CLUSTER_SECONDS,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "cpu": cpu_model()}


def render_heatmap(url: str) -> tuple[float, int]:
    """Seconds of a warm AppTest run of the Talent heatmap page, and the rows of its hub table."""
    from bench.apptest import warm_render

    seconds, at = warm_render(url, "bench-organizer", "pages/talent_heatmap.py")
    if not at.dataframe:
        raise RuntimeError("the heatmap page shows no hub table")
    return seconds, len(at.dataframe[0].value)


def format_report(r: dict) -> str:
    lines = ["| stage | measured | seed 003 target | ratio | our target | met |", "|---|---:|---:|---:|---:|---|"]
    for stage, label in (("upload", f"upload of {r['rows']:,} alumni ({r['megabytes']} MB)"),
                         ("cluster", f"clustering {r['located']:,} located alumni into {r['hubs']} hubs")):
        measured, seed = r[f"{stage}_s"], r[f"seed_{stage}_s"]
        lines.append(f"| {label} | {measured:.1f} s | {seed:,.0f} s | {seed / measured:,.0f}× faster | "
                     f"≤ {TARGETS[stage + '_s']:.0f} s | {'yes' if measured <= TARGETS[stage + '_s'] else '**no**'} |")
    lines.append(f"\nTalent heatmap page over all of them (AppTest, warm): {r['render_s']:.1f} s, "
                 f"{r['render_hub_rows']} hubs in the table. Peak RSS of the benchmark process: "
                 f"{r['peak_rss_mb']:,.0f} MB. CPU: {r['cpu']}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.talent", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="alumni in the synthetic upload (default 100000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    result = run(args.rows, args.seed)
    print(format_report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
