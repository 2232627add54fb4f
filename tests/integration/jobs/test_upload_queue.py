"""Uploads processed by the jobs worker on a real Postgres: the queue, stored progress, failures, follow-up jobs."""
import dataclasses
import os
import subprocess
import sys
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.alumni.talent import snapshot_growth
from core.ingest.pipeline import ProgressWriter, upload_report
from core.jobs.runner import run_queued_work
from core.jobs.upload_kinds import DATASET_KINDS
from core.jobs.uploads import import_dataset, process_upload, queue_upload
from core.platform.settings import Settings
from db.models import (
    Alumnus,
    AuditLog,
    DatasetUpload,
    JobRequest,
    JobRun,
    TalentHubSnapshot,
    UploadPayload,
)
from tests.conftest import ROOT
from tests.fakes import FakeEmbedder
from tests.integration.events.test_attendee_import import HEADER, row

ALUMNI = ("email,name,batch_year,current_company,location,skills\n"
          + "".join(f"a{i}@x.io,Alum {i},{2010 + i % 10},Acme,\"Pune, India\",python\n" for i in range(12))
          + "bad-email,Nobody,2015,Acme,\"Pune, India\",python\n").encode()


def queue(db, clock, data: bytes = ALUMNI, kind: str = "alumni", max_mb: float = 5) -> DatasetUpload:
    """Queue an upload and commit, as the Uploads page's transaction does."""
    upload = queue_upload(db, kind=kind, data=data, filename=f"{kind}.csv", event_slug=None, actor_id=None,
                          clock=clock, max_mb=max_mb)
    db.commit()
    return upload


def work(engine, clock) -> dict:
    return run_queued_work(engine, clock=clock, settings=Settings(), embedder=FakeEmbedder())


def test_a_queued_upload_waits_with_its_file_and_writes_no_rows(db, clock):
    upload = queue(db, clock)
    assert (upload.status, upload.stage) == ("queued", "queued")
    assert db.get(UploadPayload, upload.id).data == ALUMNI
    assert db.scalar(select(func.count()).select_from(Alumnus)) == 0


def test_the_worker_pass_processes_a_queued_upload_and_stores_its_report(db, engine, clock):
    upload = queue(db, clock)
    assert work(engine, clock)["uploads"] == 1
    report = upload_report(db, upload.id)
    assert (report.status, report.stage, report.progress) == ("completed", "done", 1.0)
    assert (report.rows_valid, report.rows_invalid, report.inserted) == (12, 1, 12)
    assert [(p.line, p.column) for p in report.problems] == [(14, "email")]
    assert db.get(UploadPayload, upload.id) is None
    assert db.scalar(select(AuditLog.action).where(AuditLog.target_id == str(upload.id))) == "upload.completed"


def test_progress_is_visible_to_other_connections_while_the_data_is_not_yet_committed(db, engine, clock):
    upload = queue(db, clock)
    seen = []

    def watch(stage, fraction, valid=None, invalid=None):
        ProgressWriter(engine, upload.id, min_interval_s=0)(stage, fraction, valid, invalid)
        with Session(engine) as other:
            row = other.get(DatasetUpload, upload.id)
            seen.append((row.stage, round(row.progress, 2), row.rows_valid,
                         other.scalar(select(func.count()).select_from(Alumnus))))

    process_upload(db, upload.id, clock=clock, max_mb=5, on_progress=watch)
    stages = [s[0] for s in seen]
    assert stages.index("validating") < stages.index("cleaning") < stages.index("processing") < stages.index(
        "storing")
    assert seen[-1] == ("storing", 0.75, 12, 0)  # counted and visible, but nothing stored until the one commit


def test_a_file_that_is_wrong_as_a_whole_is_rejected_by_the_worker_and_its_bytes_dropped(db, engine, clock):
    upload = queue(db, clock, b"name,location\nAna,Lisbon\n")
    work(engine, clock)
    report = upload_report(db, upload.id)
    assert report.status == "rejected" and "email" in report.message
    assert db.get(UploadPayload, upload.id) is None
    assert db.scalar(select(func.count()).select_from(JobRequest)) == 0


def test_a_file_over_the_size_limit_is_rejected_before_it_is_stored(db, clock):
    upload = queue(db, clock, ALUMNI * 1000, max_mb=0.1)
    assert upload.status == "rejected" and "over the 0.1 MB limit" in upload.message
    assert db.get(UploadPayload, upload.id) is None


def test_an_internal_error_marks_the_upload_failed_and_keeps_the_earlier_data(db, engine, clock, monkeypatch):
    import_dataset(db, kind="alumni", data=ALUMNI, filename="first.csv", event_slug=None, actor_id=None, clock=clock,
                   max_mb=5)
    db.commit()

    def broken_store(session, event_id, rows, now):
        session.execute(Alumnus.__table__.delete())
        raise RuntimeError("disk full")

    monkeypatch.setitem(DATASET_KINDS, "alumni",
                        dataclasses.replace(DATASET_KINDS["alumni"], store=broken_store))
    upload = queue(db, clock, ALUMNI.replace(b"Acme", b"Beta"))
    work(engine, clock)
    report = upload_report(db, upload.id)
    assert report.status == "failed" and "disk full" in report.message and "Nothing was loaded" in report.message
    assert db.scalar(select(func.count()).select_from(Alumnus)) == 12
    assert set(db.scalars(select(Alumnus.current_company))) == {"Acme"}


def test_an_upload_that_changed_rows_queues_its_dependent_jobs(db, engine, clock):
    report = import_dataset(db, kind="alumni", data=ALUMNI, filename="a.csv", event_slug=None, actor_id=None,
                            clock=clock, max_mb=5)
    db.commit()
    assert report.follow_up_jobs == ["geocode-locations", "talent-clusters", "skill-graph", "career-model"]
    assert sorted(db.scalars(select(JobRequest.job_id).where(JobRequest.status == "queued"))) == [
        "career-model", "geocode-locations", "skill-graph", "talent-clusters"]


def test_an_unchanged_reupload_queues_nothing_more(db, clock):
    for _ in range(2):
        import_dataset(db, kind="alumni", data=ALUMNI, filename="a.csv", event_slug=None, actor_id=None, clock=clock,
                       max_mb=5)
        db.commit()
    assert db.scalar(select(func.count()).select_from(JobRequest)) == 4


def test_the_worker_runs_the_dependent_jobs_and_records_their_runs(db, engine, clock):
    import_dataset(db, kind="alumni", data=ALUMNI, filename="a.csv", event_slug=None, actor_id=None, clock=clock,
                   max_mb=5)
    db.commit()
    assert work(engine, clock)["jobs"] == 4
    runs = {r.job_id: r for r in db.scalars(select(JobRun))}
    assert {run.status for run in runs.values()} == {"succeeded"}
    assert runs["talent-clusters"].status == "succeeded" and runs["talent-clusters"].trigger == "queued"
    snapshot = db.scalar(select(TalentHubSnapshot))
    assert snapshot.alumni_located == 12 and snapshot.hubs[0]["size"] == 12
    assert set(db.scalars(select(JobRequest.status))) == {"done"}


def test_attendee_uploads_queue_embeddings_for_their_event_and_the_worker_runs_them(db, engine, clock):
    import_dataset(db, kind="attendees", data=(HEADER + row("ana@x.io")).encode(), filename="p.csv", event_slug="expo",
                   actor_id=None, clock=clock, max_mb=5)
    db.commit()
    work(engine, clock)
    runs = {r.job_id: r for r in db.scalars(select(JobRun))}
    assert runs["embed-profiles"].counts["embedded_profiles"] == 1
    assert runs["refresh-recommendations"].status == "succeeded"


def test_hub_growth_between_two_cluster_rebuilds_is_reported_per_hub(db, engine, clock):
    import_dataset(db, kind="alumni", data=ALUMNI, filename="a.csv", event_slug=None, actor_id=None, clock=clock,
                   max_mb=5)
    db.commit()
    work(engine, clock)
    more = "".join(f"b{i}@x.io,New {i},2024,Beta,\"Pune, India\",go\n" for i in range(6)).encode()
    import_dataset(db, kind="alumni", data=b"email,name,batch_year,current_company,location,skills\n" + more,
                   filename="b.csv", event_slug=None, actor_id=None, clock=clock, max_mb=5)
    db.commit()
    work(engine, clock)
    _, _, rows = snapshot_growth(db)
    assert [(r["alumni before"], r["alumni now"], r["change"]) for r in rows] == [(12, 18, 6)]


def test_a_running_worker_process_picks_up_a_queued_upload(db, database_url, clock):
    upload = queue(db, clock)
    env = {**os.environ, "DATABASE_URL": database_url}
    worker = subprocess.Popen([sys.executable, "-m", "jobs", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            db.expire_all()
            if db.get(DatasetUpload, upload.id).status == "completed":
                break
            time.sleep(0.5)
        assert db.get(DatasetUpload, upload.id).status == "completed"
        assert db.scalar(select(func.count()).select_from(Alumnus)) == 12
    finally:
        worker.terminate()
        worker.wait(timeout=30)
