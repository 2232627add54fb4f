"""Benchmark of hostile uploads through the worker's path: each must be answered quickly, in bounded memory, with a
message that says what was wrong.

    .venv/bin/python -m bench.hostile_files [--cases email_cell,...] [--json PATH]

On a throwaway Postgres (pgserver in a temp dir, migrated), each case runs in a fresh subprocess, so that
`ru_maxrss` is that case's peak alone (the Postgres server's memory is not included). The subprocess builds its file
(or reads the prebuilt zip bomb), then the clock runs from `queue_upload` (committed, as the Uploads page does)
through `claim_upload` + `process_claimed_upload` (committed, as the worker does), with the settings' default limits.
The worker is warm: it processed one small file of the same kind first. The cases:

- email_cell: an attendee CSV of one good row and one whose email cell is 1 MB (the email pattern used to be
  quadratic: hours for such a cell).
- json_cell: the same as a JSON list of records.
- zip_bomb: an XLSX of a few MB whose sheet XML unpacks to GBs (built with zipfile from one repeated row).
- many_rows: a CSV of 3 million one-character rows (over the 1,000,000-row limit).
- bad_rows: an alumni CSV of one good row and 500,000 bad ones (distinct invalid emails): 1,000 problems stored,
  all counted.

Each is held to 2 s and 1 GB peak RSS. Nothing is written unless `--json PATH` is given.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.database import throwaway_database
from bench.machine import cpu_model

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0
TARGET_RSS_MB = 1024.0
CASES = ("email_cell", "json_cell", "zip_bomb", "many_rows", "bad_rows")
ATTENDEE_HEADER = "email,first_name,last_name,company,role,interests,goals\n"
GOOD_ATTENDEE = "ada@example.org,Ada,Byron,Analytical,Engineer,ai,HIRE\n"
BOMB_GB = 4
MB = 1024 * 1024


# ----------------------------------------------------------------------------------------------- the files

def email_cell() -> tuple[str, str, bytes]:
    return "attendees", "people.csv", (
        ATTENDEE_HEADER + GOOD_ATTENDEE + "x" * (MB - 9) + "@a.b.c.d,Eve,Long,Acme,CTO,ai,HIRE\n").encode()


def json_cell() -> tuple[str, str, bytes]:
    good = dict(zip(ATTENDEE_HEADER.strip().split(","), GOOD_ATTENDEE.strip().split(","), strict=True))
    bad = {**good, "email": "a@" + "b." * (MB // 2)}
    return "attendees", "people.json", json.dumps([good, bad]).encode()


def many_rows() -> tuple[str, str, bytes]:
    return "attendees", "people.csv", b"email\n" + b"a\n" * 3_000_000


def bad_rows() -> tuple[str, str, bytes]:
    bad = "".join(f"not-an-email-{i},Nobody {i}\n" for i in range(500_000))  # all different: nothing to cache
    return "alumni", "alumni.csv", ("email,name\nada@example.org,Ada Byron\n" + bad).encode()


WARM_UP = {"attendees": ("people.csv", (ATTENDEE_HEADER + GOOD_ATTENDEE).encode()),
           "alumni": ("alumni.csv", b"email,name\nwarm@example.org,Warm Up\n")}


def build_zip_bomb(path: Path, gigabytes: float = BOMB_GB) -> dict:
    """A valid-looking XLSX whose one sheet is `gigabytes` of a repeated row: a few MB on disk."""
    row = b'<row><c t="inlineStr"><is><t>a@example.org</t></is></c></row>' * 16384
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>')
            written = 0
            while written < gigabytes * 1024 * MB:
                sheet.write(row)
                written += len(row)
            sheet.write(b"</sheetData></worksheet>")
        unpacked = sum(member.file_size for member in archive.infolist())
    return {"packed_mb": path.stat().st_size / MB, "unpacked_mb": unpacked / MB}


# ----------------------------------------------------------------------------------------------- one case

def process(session, kind: str, filename: str, data: bytes, settings, clock):
    """What the Uploads page and then the worker do with a file, each step committed."""
    from core.jobs.uploads import process_claimed_upload, queue_upload
    from core.platform.queue import claim_upload

    upload = queue_upload(session, kind=kind, data=data, filename=filename, event_slug="bench-hostile",
                          actor_id=None, clock=clock, max_mb=settings.upload_max_mb, source="bench")
    session.commit()
    upload_id = claim_upload(session, clock, upload.id)
    session.commit()
    report = process_claimed_upload(session, upload_id, clock=clock, max_mb=settings.upload_max_mb)
    session.commit()
    return report


def run_case(case: str, url: str, bomb: Path) -> dict:
    """The worker's path for one file, timed from queue_upload to the committed report. The worker is warm: it has
    processed one small file of the same kind before (imports, the gazetteer, compiled statements)."""
    from sqlalchemy.orm import Session

    from core.platform.clock import SystemClock
    from core.platform.settings import Settings
    from db.engine import make_engine

    if case == "zip_bomb":
        kind, filename, data = "attendees", "people.xlsx", bomb.read_bytes()
    else:
        kind, filename, data = globals()[case]()
    settings, clock = Settings(), SystemClock()
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        process(session, kind, *WARM_UP[kind], settings, clock)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started, cpu_started = time.perf_counter(), time.process_time()
        report = process(session, kind, filename, data, settings, clock)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    engine.dispose()
    first = report.problems[0] if report.problems else None
    return {"case": case, "kind": kind, "file_mb": len(data) / MB, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "rss_before_mb": rss_before, "status": report.status,
            "message": report.message if report.status != "completed" else report.summary(),
            "first_problem": f"{report.line_label} {first.line}, {first.column}: {first.message}" if first else "",
            "problems_stored": len(report.problems), "problems_total": report.errors_total,
            "rows_valid": report.rows_valid, "rows_invalid": report.rows_invalid,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_in_subprocess(case: str, url: str, bomb: Path) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as result:
        command = [sys.executable, "-m", "bench.hostile_files", "--case", case, "--url", url, "--bomb", str(bomb),
                   "--result", result.name]
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise RuntimeError(f"case {case} failed:\n{done.stderr[-4000:]}")
        return json.loads(Path(result.name).read_text())


# ----------------------------------------------------------------------------------------------- parent



def run(cases: list[str]) -> dict:
    figures: dict = {"cpu": cpu_model(), "cpus": os.cpu_count(), "python": platform.python_version(), "cases": []}
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        bomb = Path(tmp) / "bomb.xlsx"
        if "zip_bomb" in cases:
            print(f"building a {BOMB_GB} GB zip bomb…", file=sys.stderr, flush=True)
            figures["bomb"] = build_zip_bomb(bomb)
        with throwaway_database("bench-hostile-") as url:
            for case in cases:
                print(f"{case}…", file=sys.stderr, flush=True)
                figures["cases"].append(run_in_subprocess(case, url, bomb))
    return figures


LABELS = {
    "email_cell": "attendee CSV, one 1 MB email cell",
    "json_cell": "attendee JSON, one 1 MB email value",
    "zip_bomb": "XLSX zip bomb",
    "many_rows": "CSV of 3,000,000 one-character rows",
    "bad_rows": "alumni CSV, 1 good row + 500,000 bad rows",
}


def format_report(r: dict) -> str:
    lines = [f"CPU: {r['cpu']} ({r['cpus']} CPUs), Python {r['python']}. Worker's path: queue_upload + claim_upload + "
             "process_claimed_upload, each committed; default upload limits.", ""]
    if "bomb" in r:
        lines += [f"Zip bomb: {r['bomb']['packed_mb']:.1f} MB packed, {r['bomb']['unpacked_mb']:,.0f} MB unpacked.",
                  ""]
    lines += ["| file | size | answered in (CPU) | peak RSS (before) | status | stored / all problems | met |",
              "|---|---:|---:|---:|---|---:|---|"]
    for c in r["cases"]:
        met = c["seconds"] <= TARGET_S and c["peak_rss_mb"] <= TARGET_RSS_MB
        lines.append(f"| {LABELS[c['case']]} | {c['file_mb']:,.1f} MB | {c['seconds']:.2f} s "
                     f"({c['cpu_seconds']:.2f} s) | {c['peak_rss_mb']:,.0f} MB ({c['rss_before_mb']:,.0f} MB) | "
                     f"{c['status']} | "
                     f"{c['problems_stored']:,} / {c['problems_total']:,} | {'yes' if met else '**no**'} |")
    lines += ["", f"Targets: each answered within {TARGET_S:.0f} s (wall clock, from queue_upload to the committed "
                  f"report), peak RSS of the process under {TARGET_RSS_MB:,.0f} MB. CPU is this process's own time; "
                  "'before' is the peak RSS of the warm worker before the file.", "", "What each was told:"]
    for c in r["cases"]:
        told = c["message"] + (f" First problem: {c['first_problem']}" if c["status"] == "completed" else "")
        lines.append(f"- {LABELS[c['case']]}: {told[:400]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile_files", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {', '.join(CASES)}")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case in this process
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--bomb", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        args.result.write_text(json.dumps(run_case(args.case, args.url, args.bomb)))
        return 0
    cases = [c for c in args.cases.split(",") if c]
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s) {', '.join(sorted(unknown))}")
    result = run(cases)
    print(format_report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
