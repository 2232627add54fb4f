"""Command-line interface: python -m jobs {migrate,seed-demo,ingest,worker,work-queue,run,export,privacy} --help."""
from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session


def _engine(migrate: bool = True):
    """The database engine; with `migrate`, the schema is brought up to date and the reference rows seeded."""
    from core.ai.prompts import ensure_seed_variants
    from core.platform.settings import get_settings
    from core.platform.wiring import build_engine

    engine = build_engine(get_settings(), migrate=migrate)
    if migrate:
        with Session(engine) as session:
            ensure_seed_variants(session)
            session.commit()
    return engine


@lru_cache(maxsize=1)
def _embedder():
    """The embedding model, loaded once per command (seed-demo runs several jobs that embed)."""
    from core.ai.wiring import build_embedder
    from core.platform.settings import get_settings

    return build_embedder(get_settings())


def _positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def cmd_migrate(args: argparse.Namespace) -> int:
    _engine(migrate=True)
    print("Database schema is up to date.")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from core.demo.seed import DEMO_ACCOUNTS, DEMO_EVENT_SLUG, database_is_empty, seed_demo, seed_demo_activity
    from core.platform.settings import get_settings
    from core.platform.wiring import build_clock
    from db.models import Account, Event

    with Session(_engine()) as session:
        if database_is_empty(session):
            demo_mode = get_settings().demo_mode
            counts = seed_demo(session, clock=build_clock(), attendees=args.attendees, alumni=args.alumni,
                               with_accounts=demo_mode)
            session.commit()
            if not demo_mode:
                print("DEMO_MODE=false: no demo accounts were created. Create the first admin with "
                      "`python -m jobs create-admin --username U --email E`.")
            print("Loaded demo data: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + ".")
            print("Computing the demo attendees' taste vectors and recommendations…")
            cmd_run(argparse.Namespace(job="taste-vectors", event=None))
            print("Building the skill graph and the career model…")
            cmd_run(argparse.Namespace(job="skill-graph", event=None))
            cmd_run(argparse.Namespace(job="career-model", event=None))
            cmd_run(argparse.Namespace(job="refresh-recommendations", event=None))
            event = session.scalar(select(Event).where(Event.slug == DEMO_EVENT_SLUG))
            spare = session.scalar(select(Account.person_id).where(Account.username == "attendee"))
            activity = seed_demo_activity(session, event_id=event.id, clock=build_clock(), spare_person_id=spare)
            session.commit()
            print("Simulated demo engagement: " + ", ".join(f"{v} {k}" for k, v in activity.items()) + ".")
            print("Forming the first huddles from shared problems…")
            cmd_run(argparse.Namespace(job="huddle-scan", event=DEMO_EVENT_SLUG))
            cmd_run(argparse.Namespace(job="event-analytics", event=None))
            print("Scoring the demo community's engagement…")
            cmd_run(argparse.Namespace(job="engagement-scores", event=None))
        else:
            print("The database already has data; demo data was not loaded again.")
    if get_settings().demo_mode:
        print("Demo accounts (username / password):")
        for account in DEMO_ACCOUNTS:
            print(f"  {', '.join(account.roles):<10} {account.username} / {account.password}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from core.jobs.uploads import import_dataset
    from core.platform.settings import get_settings
    from core.platform.wiring import build_clock

    path = Path(args.file)
    if not path.is_file():
        print(f"error: no file at {path}", file=sys.stderr)
        return 2
    with Session(_engine()) as session:
        try:
            report = import_dataset(session, kind=args.kind, data=path.read_bytes(), filename=path.name,
                                    event_slug=args.event, actor_id=None, clock=build_clock(),
                                    max_mb=get_settings().upload_max_mb, source="cli")
            session.commit()
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    print(report.summary())
    for warning in report.warnings:
        print(f"warning: {warning}")
    for problem in report.problems[: args.max_errors]:
        column = f" {problem.column}" if problem.column else ""
        print(f"  {report.line_label} {problem.line}{column}: {problem.message}")
    if len(report.problems) > args.max_errors:
        print(f"  … and {max(report.errors_total, len(report.problems)) - args.max_errors:,} more problems "
              "(see the Uploads page).")
    if report.follow_up_jobs:
        print(f"Queued for the worker: {', '.join(report.follow_up_jobs)} "
              "(or run them now: python -m jobs work-queue).")
    return 0 if report.ok else 1


def cmd_work_queue(args: argparse.Namespace) -> int:
    from core.ai.wiring import build_llm
    from core.jobs.runner import run_queued_work
    from core.platform.settings import get_settings
    from core.platform.wiring import build_clock

    settings = get_settings()
    done = run_queued_work(_engine(), clock=build_clock(), settings=settings, embedder=_embedder(),
                           llm=build_llm(settings))
    print(f"Processed {done['uploads']} queued uploads and {done['jobs']} requested job runs.")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from jobs.worker import run_worker

    run_worker()
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from core.ai.wiring import build_llm
    from core.jobs.registry import JobNotFound
    from core.jobs.runner import run_job
    from core.platform.clock import FixedClock
    from core.platform.settings import get_settings
    from core.platform.wiring import build_clock

    as_of = getattr(args, "as_of", None)
    clock = FixedClock(datetime.combine(as_of, time(12), tzinfo=UTC)) if as_of else build_clock()
    try:
        run = run_job(args.job, engine=_engine(), clock=clock, event_slug=args.event, trigger="cli",
                      embedder=_embedder(), settings=get_settings(),
                      llm=build_llm(get_settings()))
    except (JobNotFound, ValueError) as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    print(f"{args.job}: {run.status} in {run.duration_ms} ms {run.counts or ''}")
    if run.error:
        print(run.error, file=sys.stderr)
    return 0 if run.status == "succeeded" else 1


def cmd_export(args: argparse.Namespace) -> int:
    from core.enrichment.export import export_enrichment_csv
    from core.events.events import get_event
    from core.huddles.export import export_huddles_csv
    from core.platform.wiring import build_clock
    from core.recommend.people import export_recommendations_csv

    if args.what == "reengagement":
        return _export_reengagement(args)
    if args.what in ("transitions", "related-skills"):
        return _export_careers(args)
    if not args.event:
        print(f"error: exporting {args.what} needs --event SLUG (the event to export)", file=sys.stderr)
        return 2
    with Session(_engine()) as session:
        event = get_event(session, args.event)
        if event is None:
            print(f"error: no event with slug '{args.event}'", file=sys.stderr)
            return 2
        if args.what == "huddles":
            text, unit = export_huddles_csv(session, event.id), "huddle invitations"
        elif args.what == "enrichment":
            text, unit = export_enrichment_csv(session, event.id), "people"
        else:
            text, unit = export_recommendations_csv(session, event.id, build_clock().now()), "recommendations"
    Path(args.out).write_text(text, encoding="utf-8", newline="")
    print(f"Wrote {text.count(chr(10)) - 1} {unit} to {args.out}.")
    return 0


def _export_reengagement(args: argparse.Namespace) -> int:
    """Every community member's re-engagement profile: the stored ones, or computed for --as-of without storing."""
    import csv
    import io

    from core.platform.settings import get_settings
    from core.reengagement.export import NoStoredProfiles, export_reengagement_csv

    with Session(_engine()) as session:
        try:
            text = export_reengagement_csv(session, as_of=args.as_of, settings=get_settings())
        except NoStoredProfiles as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    Path(args.out).write_text(text, encoding="utf-8", newline="")
    members = sum(1 for _ in csv.reader(io.StringIO(text))) - 1  # a summary may hold line breaks
    print(f"Wrote {members} members to {args.out}"
          + (f" (computed as of {args.as_of})." if args.as_of else " (the stored profiles)."))
    return 0


def _export_careers(args: argparse.Namespace) -> int:
    """The stored career transitions, or the stored related skills of one skill, as CSV."""
    import csv
    import io

    from core.careers.paths import export_transitions_csv
    from core.careers.skill_queries import UnknownSkill, export_related_skills_csv

    with Session(_engine()) as session:
        if args.what == "transitions":
            text, unit = export_transitions_csv(session), "transitions"
        elif not args.skill:
            print("error: exporting related-skills needs --skill NAME (e.g. --skill Python)", file=sys.stderr)
            return 2
        else:
            try:
                text, unit = export_related_skills_csv(session, args.skill), f"skills related to {args.skill}"
            except UnknownSkill as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
    Path(args.out).write_text(text, encoding="utf-8", newline="")
    rows = sum(1 for _ in csv.reader(io.StringIO(text))) - 1
    print(f"Wrote {rows} {unit} to {args.out}.")
    return 0


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a day as YYYY-MM-DD") from None


def _person_by_email(session: Session, email: str) -> int | None:
    """The person behind an email: their registration's, else their account's."""
    from sqlalchemy import func, select

    from db.models import Account, Person

    email = email.strip().lower()
    return (session.scalar(select(Person.id).where(func.lower(Person.email) == email))
            or session.scalar(select(Account.person_id).where(func.lower(Account.email) == email)))


def cmd_privacy(args: argparse.Namespace) -> int:
    """Seed 000 §11.2 for the operator: export a person's data, request or cancel their deletion (actor: system)."""
    import json

    from core.platform.wiring import build_clock
    from core.privacy.deletion import cancel_deletion, request_deletion
    from core.privacy.export import export_person

    clock = build_clock()
    with Session(_engine()) as session, session.begin():
        person_id = _person_by_email(session, args.email)
        if person_id is None:
            print(f"error: no person or account with the email '{args.email}'. Check the spelling; "
                  "emails are matched without regard to case.", file=sys.stderr)
            return 2
        if args.action == "export":
            export = export_person(session, person_id=person_id, clock=clock)
            Path(args.out).write_text(json.dumps(export, indent=2, ensure_ascii=False), encoding="utf-8")
            rows = sum(len(v) for k, v in export["data"].items() if isinstance(v, list))
            print(f"Wrote the data of {args.email} ({rows:,} rows in {len(export['data'])} sections) to {args.out}.")
        elif args.action == "delete":
            status = request_deletion(session, person_id=person_id, clock=clock, actor_id=None)
            print(f"Deletion of {args.email} requested on {status.requested_at:%Y-%m-%d %H:%M} UTC: hidden from "
                  f"everyone now, deleted for good on {status.deadline:%Y-%m-%d %H:%M} UTC unless cancelled "
                  f"(python -m jobs privacy cancel-delete --email {args.email}).")
        elif cancel_deletion(session, person_id=person_id, clock=clock, actor_id=None):
            print(f"Deletion of {args.email} cancelled: the account is visible again.")
        else:
            print(f"error: {args.email} has no pending deletion to cancel.", file=sys.stderr)
            return 1
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    import os

    from core.accounts.accounts import AccountError, create_account

    password = os.environ.get("ADMIN_PASSWORD") or sys.stdin.readline().rstrip("\n")
    if not password:
        print("error: give the password on standard input or in ADMIN_PASSWORD", file=sys.stderr)
        return 2
    with Session(_engine()) as session:
        try:
            account = create_account(session, actor_id=None, username=args.username, email=args.email,
                                     display_name=args.name or args.username, password=password, roles=["admin"])
        except AccountError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        username = account.username
        session.commit()
    print(f"Created the admin account '{username}'.")
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    from core.accounts.tokens import generate_invitations, invitations_csv
    from core.events.events import get_event
    from core.platform.mail import build_mailer, deliver_outbox
    from core.platform.settings import get_settings
    from core.platform.wiring import build_clock

    settings, clock = get_settings(), build_clock()
    with Session(_engine()) as session:
        event = get_event(session, args.event)
        if event is None:
            print(f"error: no event with slug '{args.event}'", file=sys.stderr)
            return 2
        links = generate_invitations(session, event_id=event.id, actor_id=None, clock=clock,
                                     key=settings.cookie_key.get_secret_value(), base_url=settings.public_base_url,
                                     days=settings.invitation_days, send=settings.mail_enabled)
        session.commit()
        sent = {}
        if settings.mail_enabled:
            sent = deliver_outbox(session, mailer=build_mailer(settings), clock=clock)
            session.commit()
    Path(args.out).write_text(invitations_csv(links), encoding="utf-8")
    print(f"Wrote {len(links)} invitation links to {args.out}."
          + (f" Emailed {sent.get('sent', 0)}, {sent.get('failed', 0)} failed (retried by the worker)."
             if settings.mail_enabled else " SMTP is not configured, so nothing was emailed."))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """The jobs worker and the app together in the foreground; Ctrl-C (or SIGTERM) stops both."""
    import signal
    import subprocess

    worker = subprocess.Popen([sys.executable, "-m", "jobs", "worker"])
    app = subprocess.Popen([sys.executable, "-m", "ui.server", "--server.address", args.host,
                            "--server.port", str(args.port)])
    signal.signal(signal.SIGTERM, lambda *_: app.terminate())
    try:
        return app.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (app, worker):
            if process.poll() is None:
                process.terminate()
        for process in (app, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class JobIds:
    """The registry's job ids, read only when argparse checks a job id or prints them: the registry imports every
    job's module (2.4 s), which the other commands never need."""

    def __contains__(self, job_id: object) -> bool:
        from core.jobs.registry import JOBS

        return job_id in JOBS

    def __iter__(self):
        from core.jobs.registry import JOBS

        return iter(sorted(JOBS))


class UnbrokenNamesFormatter(argparse.HelpFormatter):
    """Help text wrapped between words only, so that hyphenated job ids stay whole."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def build_parser() -> argparse.ArgumentParser:
    from core.jobs.upload_kinds import DATASET_KINDS

    parser = argparse.ArgumentParser(prog="python -m jobs", description="GlobalConnect jobs and data tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed-demo", help="load the demo conference into an empty database")
    seed.add_argument("--attendees", type=_positive, default=300, help="demo attendees (default 300)")
    seed.add_argument("--alumni", type=_positive, default=3000, help="demo alumni (default 3000)")
    seed.set_defaults(func=cmd_seed_demo)
    ingest = sub.add_parser("ingest", help="validate and load a dataset file, printing the row report")
    ingest.add_argument("file", help="CSV, XLSX or JSON file")
    ingest.add_argument("--kind", required=True, choices=sorted(DATASET_KINDS), help="what the file holds")
    ingest.add_argument("--event", help="event slug (created if new); required for attendees, sessions, speakers")
    ingest.add_argument("--max-errors", type=int, default=50, help="row problems to print (default 50)")
    ingest.set_defaults(func=cmd_ingest)
    sub.add_parser("worker", help="run the scheduler worker (blocks)").set_defaults(func=cmd_worker)
    sub.add_parser("work-queue", help="process queued uploads and requested job runs once, then exit"
                   ).set_defaults(func=cmd_work_queue)
    run = sub.add_parser("run", help="run one job now and record it", formatter_class=UnbrokenNamesFormatter)
    # a metavar of its own, or argparse would list the choices (and import the registry) while building the parser
    run.add_argument("job", choices=JobIds(), metavar="job", help="job id, one of: %(choices)s")
    run.add_argument("--event", help="limit the job to this event slug")
    run.add_argument("--as-of", type=_day, help="fix the job's clock to this day (YYYY-MM-DD, at 12:00 UTC)")
    run.set_defaults(func=cmd_run)
    export = sub.add_parser("export", help="export stored data as CSV")
    export.add_argument("what", choices=["recommendations", "huddles", "enrichment", "reengagement", "transitions",
                                         "related-skills"],
                        help="what to export")
    export.add_argument("--event", help="event slug (required for recommendations, huddles and enrichment)")
    export.add_argument("--as-of", type=_day, help="reengagement: compute for this day (YYYY-MM-DD) without storing")
    export.add_argument("--skill", help="related-skills: the skill whose related skills to export, e.g. Python")
    export.add_argument("--out", required=True, help="CSV file to write")
    export.set_defaults(func=cmd_export)
    privacy = sub.add_parser("privacy", help="a person's data: export it, request or cancel its deletion")
    actions = privacy.add_subparsers(dest="action", required=True)
    privacy_export = actions.add_parser("export", help="write everything stored about the person as JSON")
    privacy_export.add_argument("--email", required=True, help="the person's email")
    privacy_export.add_argument("--out", required=True, help="JSON file to write")
    privacy_delete = actions.add_parser("delete", help="request deletion: hidden now, deleted after the grace period")
    privacy_delete.add_argument("--email", required=True, help="the person's email")
    privacy_cancel = actions.add_parser("cancel-delete", help="cancel a pending deletion request")
    privacy_cancel.add_argument("--email", required=True, help="the person's email")
    privacy.set_defaults(func=cmd_privacy)
    admin = sub.add_parser("create-admin", help="create an admin account (password from stdin or ADMIN_PASSWORD)")
    admin.add_argument("--username", required=True)
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", help="display name (default: the username)")
    admin.set_defaults(func=cmd_create_admin)
    invite = sub.add_parser("invite", help="invitation links for an event's attendees without an account, as CSV")
    invite.add_argument("--event", required=True, help="event slug")
    invite.add_argument("--out", required=True, help="CSV file to write (email,first_name,last_name,link)")
    invite.set_defaults(func=cmd_invite)
    serve = sub.add_parser("serve", help="run the jobs worker and the app together; Ctrl-C stops both")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8501)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    from core.platform.settings import InsecureSettings, get_settings

    args = build_parser().parse_args(argv)
    try:
        get_settings().check_secure()
    except InsecureSettings as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
