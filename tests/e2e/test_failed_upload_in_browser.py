"""In a real browser: an upload whose workers kept dying. The admin opening Uploads sees it stalled, then failed
with the reason, and from then on the page stops polling it."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.jobs.runner import run_queued_work
from core.jobs.uploads import queue_upload
from core.platform.clock import SystemClock
from core.platform.queue import claim_upload
from core.platform.settings import Settings
from db.models import Account, DatasetUpload
from tests.e2e.conftest import SCREENSHOTS, log_in
from tests.fakes import FakeEmbedder

FAILED = "The worker processing this file stopped 3 times; nothing was loaded. Upload it again, or split it."


@pytest.fixture
def upload_on_its_last_try(app_url, engine):
    """The admin's alumni file, claimed for the third time by a worker that then went silent an hour ago."""
    clock = SystemClock()
    with Session(engine) as session:
        admin = session.scalar(select(Account.id).where(Account.username == "admin"))
        upload = queue_upload(session, kind="alumni", data=b"email,name\na@x.io,Ana\n", filename="alumni-2026.csv",
                              event_slug=None, actor_id=admin, clock=clock, max_mb=5)
        session.flush()
        claim_upload(session, clock, upload.id)
        session.execute(update(DatasetUpload).where(DatasetUpload.id == upload.id).values(
            claimed_by="lost-host:4242", attempts=3, stage="storing", progress=0.8,
            heartbeat_at=clock.now() - timedelta(hours=1)))
        session.commit()
        return upload.id


def sent_frames(page) -> list[int]:
    """The websocket messages the page sends to the server (each poll of a fragment is one)."""
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    return sent


def frames_during(page, sent: list[int], seconds: float) -> int:
    """Messages the page sends in the next `seconds` (Playwright delivers events only while it waits itself)."""
    page.wait_for_timeout(300)  # deliver the events of messages sent before now
    before = len(sent)
    page.wait_for_timeout(seconds * 1000)
    return len(sent) - before


def test_an_admin_sees_the_upload_fail_after_its_workers_died_and_the_page_stops_polling(
        app_url, engine, page, upload_on_its_last_try):
    frames = sent_frames(page)
    log_in(page, app_url, "admin", "admin-demo-1")
    page.get_by_role("link", name="Uploads").click()
    page.get_by_role("heading", name="Uploads", exact=True).wait_for()
    page.get_by_text("alumni-2026.csv: storing — 80%").wait_for()
    page.get_by_text("has probably stopped").wait_for()
    assert frames_during(page, frames, 3) >= 2  # it polls the running upload
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "uploads-stalled-worker.png"), full_page=True)

    # The next pass of a worker reaps the silent claim: that was the third try, so the upload fails.
    run_queued_work(engine, clock=SystemClock(), settings=Settings(worker_lease_seconds=5),
                    embedder=FakeEmbedder())
    page.get_by_text(FAILED).wait_for(timeout=15_000)
    page.get_by_text("alumni-2026.csv failed.").wait_for()
    page.wait_for_timeout(1500)  # the rerun that stops the polling
    assert frames_during(page, frames, 4) == 0
    assert page.get_by_text("has probably stopped").count() == 0
    assert page.locator('[data-testid="stProgress"]').count() == 0
    page.screenshot(path=str(SCREENSHOTS / "uploads-failed-after-crashes.png"), full_page=True)

    # Opened again later (a new browser session), the page still says what happened, without polling.
    page.reload()
    page.get_by_text(FAILED).wait_for()
    page.wait_for_timeout(1500)
    assert frames_during(page, frames, 3) == 0
