"""Load test of the app: concurrent logged-in attendees in real Chromium browser contexts on a 2,000-attendee event.

    .venv/bin/python -m bench.load [--users 30] [--attendees 2000] [--worker] [--json PATH]

What it does:
- a throwaway Postgres (pgserver in a temp dir), migrated, with the demo event at `--attendees` attendees (the demo
  generator at that size, its program included) and its stored lists: the refresh-recommendations job (people, then
  sessions and speakers) as the nightly run does, then the demo's simulated engagement (bookmarks, connections);
- `--users` attendee accounts (the accounts service, for attendees spread over the event) with one known password;
- the real app server (`python -m ui.server`, as `python -m jobs serve` starts it) on a free port, and with
  `--worker` the jobs worker too, as `make run` does;
- one Chromium (Debian's, headless) with one browser context per user. All users log in at once (a barrier), then,
  after a second barrier, each opens For you, switches to the People, Sessions and Speakers tabs, bookmarks a
  session and requests a meeting with a recommended person. With `--think S` each user pauses 0.5-1.5 x S seconds
  before each of those steps, as a person reading the page would; by default (0) every user clicks at once.

Each step is timed as time-to-rendered: from the action until the step's expected element is visible and the
app's script run has finished (the `data-test-script-state` of Streamlit's app root is `notRunning` after a run that
the action started; a page-side counter of those runs misses some under heavy load, when React never draws the
running state, and the report counts the steps timed without it). A step fails on an exception, an error box on the
page (or Streamlit's exception box), or no render within `--step-timeout`; a user whose page is still running at
that point is a stuck session.

It prints per step the p50 and p95 in ms and the errors; the CPU seconds and mean % of one core over the measured
window (from the login barrier to the last user's end) of the app server's process tree, of Postgres and of
Chromium separately; and the target line (p95 ≤ 2 s for each step after login, no errors, no stuck sessions). The
login itself is reported but not held to the target: it is a bcrypt check of cost 12 per user by design.

`--floor` measures what the same machine gives any Streamlit app: the same number of browser contexts open a page
with one button (`bench/load_floor.py`, served with the app server's options), open it again, then click the button
FLOOR_CLICKS times, all users at once, with the same timing and CPU figures. No database is prepared. When this
floor's p95 is over the target, no page of the app can meet it on this machine with the browsers beside the server.

`--reuse-dir DIR` keeps the prepared database in DIR between runs (each run works on a fresh copy of it), and
`--app-dir DIR` serves the app from another checkout of this repository (e.g. the previous commit, for a
before/after comparison on the same data).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import cpu_model, emit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "load-test-password-1"
TEMPLATE = "load_template"
MIN_ACCOUNTS = 30  # accounts prepared at least, so a kept database serves runs of up to 30 users
STEPS = ("log in", "open For you", "People tab", "Sessions tab", "Speakers tab", "bookmark a session",
         "request a meeting")
TARGET_STEPS = STEPS[1:]  # the login is a bcrypt check by design; the target is for what users do after
FLOOR_CLICKS = 6
# the first load of each context fetches and compiles Streamlit's frontend, as the app's login page does (not in
# the target either); the second load is served from the context's cache, as the app's "open For you" is
FLOOR_STEPS = ("open the page", "open it again", *(f"click {n}" for n in range(1, FLOOR_CLICKS + 1)))
FLOOR_TARGET_STEPS = FLOOR_STEPS[1:]
TARGET_P95_MS = 2000.0
SHOTS: Path | None = None  # --failure-shots: where a failed step's screenshot goes
UNCOUNTED_RUNS: list[int] = []  # steps whose rerun the page's run counter did not see
UNCOUNTED_GRACE_MS = 500  # how long such a step waits for its run to show before it is timed without it

# Counts the app root's script runs in the page: `finished` goes up each time a run ends (state back to notRunning).
RUN_COUNTER = """
window.__gcRuns = {started: 0, finished: 0};
new MutationObserver((mutations) => {
  for (const m of mutations) {
    const now = m.target.getAttribute('data-test-script-state');
    if (now === m.oldValue) continue;
    if (now === 'running') window.__gcRuns.started += 1;
    if (now === 'notRunning') window.__gcRuns.finished += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""
STATE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state')"
# An error the user would see: Streamlit's exception box, or an st.error alert (its icon is the error one).
ERROR_TEXT = """() => {
  const boxes = [...document.querySelectorAll('[data-testid=stException], [data-testid=stAlertContentError]')];
  const alerts = [...document.querySelectorAll('[data-testid=stAlertContainer]')]
    .filter(a => a.querySelector('[data-testid=stAlertContentError]') || /went wrong/.test(a.innerText));
  return [...boxes, ...alerts].map(e => e.innerText.trim().slice(0, 200)).filter(Boolean);
}"""


# ----------------------------------------------------------------------------------------------- data

def prepare(url: str, attendees: int, users: int) -> dict:
    """Seed the demo event at `attendees`, compute its stored lists, simulate engagement and create `users` attendee
    accounts; return the usernames and how long each part took."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from core.accounts.accounts import create_account
    from core.ai.wiring import build_embedder, build_llm
    from core.demo.seed import DEMO_EVENT_SLUG, seed_demo, seed_demo_activity
    from core.events.events import get_event
    from core.jobs.runner import run_job
    from core.platform.clock import SystemClock
    from core.platform.settings import get_settings
    from db.engine import make_engine
    from db.models import JobTrigger, Person, Recommendation, RecommendationKind, SessionAction

    clock, settings, engine = SystemClock(), get_settings(), make_engine(url)
    timings = {}
    started = time.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        seed_demo(session, clock=clock, attendees=attendees, alumni=0, with_accounts=False)
        session.commit()
    timings["seed_s"] = time.perf_counter() - started
    started = time.perf_counter()
    run = run_job("refresh-recommendations", engine=engine, clock=clock, event_slug=DEMO_EVENT_SLUG,
                  trigger=JobTrigger.SCHEDULE, embedder=build_embedder(settings), settings=settings,
                  llm=build_llm(settings))
    if run.status != "succeeded":
        raise RuntimeError(f"refresh-recommendations {run.status}: {run.error}")
    timings["refresh_s"] = time.perf_counter() - started
    with Session(engine, expire_on_commit=False) as session:
        event_id = get_event(session, DEMO_EVENT_SLUG).id
        seed_demo_activity(session, event_id=event_id, clock=clock)
        # the journey bookmarks a recommended session and meets a recommended person: users with all three lists,
        # and a recommended session the simulated engagement left alone (not bookmarked, not dismissed)
        untouched = ~select(SessionAction.id).where(SessionAction.person_id == Recommendation.user_id,
                                                    SessionAction.session_id == Recommendation.target_session_id
                                                    ).exists()
        listed = [Person.id.in_(select(Recommendation.user_id).where(
            Recommendation.event_id == event_id, Recommendation.kind == kind,
            *([untouched] if kind == RecommendationKind.SESSION else [])))
            for kind in (RecommendationKind.PERSON, RecommendationKind.SESSION, RecommendationKind.SPEAKER)]
        matched = list(session.scalars(select(Person).where(*listed).order_by(Person.id)))
        chosen = matched[:: max(1, len(matched) // users)][:users]
        started = time.perf_counter()
        usernames = []
        for number, person in enumerate(chosen, start=1):
            account = create_account(session, actor_id=None, username=f"load{number:03d}", email=person.email,
                                     display_name=person.full_name, password=PASSWORD, roles=["attendee"],
                                     person_id=person.id)
            usernames.append(account.username)
        session.commit()
        timings["accounts_s"] = time.perf_counter() - started
    engine.dispose()
    return {"usernames": usernames, **timings}


def _admin_engine(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def copy_database(url: str, template: str, name: str) -> str:
    """A fresh database `name` copied from `template` on the same server; returns its URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    engine = _admin_engine(url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@contextmanager
def load_database(attendees: int, users: int, reuse_dir: Path | None) -> Iterator[tuple[str, dict, str]]:
    """The prepared event's database URL for this run, the preparation's figures, and the Postgres data dir. With
    `reuse_dir` the prepared database is kept there as a template, and each run gets a fresh copy."""
    import pgserver

    from db.engine import make_engine, sqlalchemy_url
    from db.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory(prefix="gc-load-") as tmp:
        pg_dir = (reuse_dir or Path(tmp)) / "pg"
        server = pgserver.get_server(pg_dir, cleanup_mode="stop")
        try:
            base = sqlalchemy_url(server.get_uri(database="postgres"))
            template = f"{TEMPLATE}_{attendees}"
            info_file = pg_dir.parent / f"{template}.json"
            if info_file.exists():
                info = json.loads(info_file.read_text())
            else:
                server.psql(f'DROP DATABASE IF EXISTS "{template}";')
                server.psql(f'CREATE DATABASE "{template}";')
                url = sqlalchemy_url(server.get_uri(database=template))
                engine = make_engine(url)
                upgrade_to_head(engine)
                engine.dispose()
                # In a child process, so the embedding model's memory is gone before the browsers start.
                done = subprocess.run([sys.executable, "-m", "bench.load", "--prepare", url, "--attendees",
                                       str(attendees), "--users", str(max(users, MIN_ACCOUNTS))],
                                      cwd=ROOT, capture_output=True, text=True)
                if done.returncode != 0:
                    raise RuntimeError(f"preparing the event failed:\n{done.stderr[-4000:]}")
                info = json.loads(done.stdout.strip().splitlines()[-1])
                if reuse_dir:
                    info_file.write_text(json.dumps(info))
            if len(info["usernames"]) < users:
                raise RuntimeError(f"the kept database has {len(info['usernames'])} accounts; use a new --reuse-dir")
            yield copy_database(base, template, "load_run"), info, str(pg_dir)
        finally:
            server.cleanup()


# ----------------------------------------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, app_dir: Path, log_dir: Path, worker: bool) -> tuple[list[subprocess.Popen], str]:
    """The app server (and the worker with `worker`) on the event's database; waits until it is healthy."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "DEMO_MODE": "true", "PYTHONPATH": str(app_dir)}
    processes = [subprocess.Popen([sys.executable, "-m", "ui.server", "--server.port", str(port),
                                   "--server.address", "127.0.0.1", "--server.headless", "true"],
                                  cwd=app_dir, env=env, stdout=(log_dir / "server.log").open("w"),
                                  stderr=subprocess.STDOUT)]
    if worker:
        processes.append(subprocess.Popen([sys.executable, "-m", "jobs", "worker"], cwd=app_dir, env=env,
                                          stdout=(log_dir / "worker.log").open("w"), stderr=subprocess.STDOUT))
    return processes, wait_until_healthy(processes, f"http://127.0.0.1:{port}")


def start_floor_server(log_dir: Path) -> tuple[list[subprocess.Popen], str]:
    """`bench/load_floor.py` served as `ui.server` serves the app (the same per-run options); waits until healthy."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "bench" / "load_floor.py"),
                                "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless",
                                "true", "--runner.postScriptGC=false", "--server.fileWatcherType=none",
                                "--browser.gatherUsageStats=false"],
                               cwd=ROOT, stdout=(log_dir / "server.log").open("w"), stderr=subprocess.STDOUT)
    return [process], wait_until_healthy([process], f"http://127.0.0.1:{port}")


def wait_until_healthy(processes: list[subprocess.Popen], address: str) -> str:
    """The server's address once its health check answers; the processes are stopped if it never does."""
    import httpx

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{address}/_stcore/health", timeout=1).status_code == 200:
                return address
        except httpx.HTTPError:
            time.sleep(0.3)
    stop(processes)
    raise RuntimeError("the app server did not become healthy within 90 s")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class CpuMeter:
    """CPU seconds of process groups between `start()` and `stop()`. The groups are read every SAMPLE_S on a thread
    of their own, and a process that ends in between (a closed browser context's renderer) counts with its last
    reading, so up to SAMPLE_S of its CPU is missed rather than all of it."""

    SAMPLE_S = 0.5

    def __init__(self, groups):
        self.groups = groups  # name -> callable returning the psutil processes of that group now
        self.before: dict[str, dict[int, float]] = {}
        self.last: dict[str, dict[int, float]] = {}
        self.seconds: dict[str, float] = {}
        self.wall = 0.0
        self.done = threading.Event()

    @staticmethod
    def _read(processes) -> dict[int, float]:
        import psutil

        times = {}
        for process in processes:
            try:
                cpu = process.cpu_times()
                times[process.pid] = cpu.user + cpu.system
            except psutil.Error:
                pass
        return times

    def _sample(self) -> None:
        for name, find in self.groups.items():
            self.last[name].update(self._read(find()))

    def _keep_sampling(self) -> None:
        while not self.done.wait(self.SAMPLE_S):
            self._sample()

    def start(self) -> None:
        self.started = time.perf_counter()
        self.before = {name: self._read(find()) for name, find in self.groups.items()}
        self.last = {name: dict(times) for name, times in self.before.items()}
        self.sampler = threading.Thread(target=self._keep_sampling, daemon=True)
        self.sampler.start()

    def stop(self) -> None:
        self.wall = time.perf_counter() - self.started
        self.done.set()
        self.sampler.join()
        self._sample()
        for name in self.groups:
            self.seconds[name] = sum(t - self.before[name].get(pid, 0.0) for pid, t in self.last[name].items())


def tree(pid: int) -> list:
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def postgres_processes(pg_dir: str) -> list:
    import psutil

    postmaster = Path(pg_dir) / "postmaster.pid"
    try:
        return tree(int(postmaster.read_text().split()[0]))
    except (OSError, ValueError, psutil.Error):
        return []


def browser_processes() -> list:
    """Chromium's processes (the browser and its renderers), below this process's Playwright driver."""
    import psutil

    found = []
    for process in tree(os.getpid())[1:]:
        try:
            if "chrom" in process.name().lower():
                found.append(process)
        except psutil.Error:  # ended while being listed (a closed context's renderer)
            pass
    return found


# ----------------------------------------------------------------------------------------------- the journeys

@dataclass
class UserRun:
    username: str
    times_ms: dict[str, float] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    stuck: bool = False
    lazy_popover: bool = False  # whether opening the meeting popover reran the page


class StepFailed(Exception):
    pass


async def rendered(page, before: int, expected, timeout_ms: float, drawn_by_the_run: bool = False) -> None:
    """Wait until `expected` (an element the action's rerun draws: it is not visible before the action) is visible
    and the app is not running. `before` is the run counter read before the action: a step whose run was not seen
    by the counter is counted, for the report. (The counter misses runs under heavy load: when the run's messages
    arrive together, React never draws the "running" state, so no attribute change is seen.) With
    `drawn_by_the_run` the element shows only once the action's run has drawn it, so no grace is needed."""
    deadline = time.monotonic() + timeout_ms / 1000

    def left() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    idle = f"() => {STATE} === 'notRunning'"
    await expected.first.wait_for(state="visible", timeout=left())
    await page.wait_for_function(idle, timeout=left(), polling=50)
    if not drawn_by_the_run and await runs_finished(page) <= before:
        # No run seen yet: either it has not started (a tab whose content was drawn already, hidden) or the counter
        # missed it. Give it a moment to show, then go by the element and the idle app alone.
        finished = f"n => window.__gcRuns && window.__gcRuns.finished > n && {STATE} === 'notRunning'"
        try:
            await page.wait_for_function(finished, arg=before, timeout=UNCOUNTED_GRACE_MS, polling=50)
        except Exception:
            UNCOUNTED_RUNS.append(1)
    await expected.first.wait_for(state="visible", timeout=left())
    await page.wait_for_function(idle, timeout=left(), polling=50)


async def runs_finished(page) -> int:
    return await page.evaluate("() => window.__gcRuns ? window.__gcRuns.finished : 0")


async def check_errors(page) -> None:
    shown = await page.evaluate(ERROR_TEXT)
    if shown:
        raise StepFailed("error on the page: " + " | ".join(shown))


async def step(user: UserRun, page, name: str, action, expected, timeout_ms: float, *, loads: bool = False,
               before_step=None, drawn_by_the_run: bool = False) -> bool:
    """Run one timed step (`loads`: the action loads a new document, whose run counter starts at 0) after the untimed
    `before_step`; a failure is recorded, and a page still running then marks the session stuck."""
    try:
        if before_step is not None:
            await before_step()
        started = time.perf_counter()
        before = 0 if loads else await runs_finished(page)
        await action()
        await rendered(page, before, expected() if callable(expected) else expected, timeout_ms, drawn_by_the_run)
        user.times_ms[name] = (time.perf_counter() - started) * 1000
        await check_errors(page)
        return True
    except Exception as exc:  # a timeout, a missing element or an error box: all count as the step's error
        message = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        user.errors.append((name, message))
        try:
            if await page.evaluate(f"() => {STATE}") in ("running", "rerunRequested"):
                user.stuck = True
            if SHOTS:
                await page.screenshot(path=str(SHOTS / f"{user.username}-{name.replace(' ', '-')}.png"),
                                      full_page=True)
        except Exception:
            user.stuck = True
        return False


def active_panel(page):
    return page.get_by_role("tabpanel")


async def new_page(browser, timeout_ms: float):
    """A browser context of its own, with the run counter, and its page."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(RUN_COUNTER)
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    return context, page


async def journey(browser, address: str, user: UserRun, barriers: list[asyncio.Barrier], timeout_ms: float,
                  think_s: float = 0.0) -> None:
    rng = random.Random(user.username)

    async def think() -> None:  # a person reads the page before the next click: 0.5-1.5x the mean think time
        if think_s > 0:
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))

    context, page = await new_page(browser, timeout_ms)
    alive = True
    try:
        await page.goto(f"{address}/")
        await page.get_by_role("textbox", name="Username").wait_for(timeout=timeout_ms * 3)
        await page.get_by_role("textbox", name="Username").fill(user.username)
        await page.get_by_role("textbox", name="Password").fill(PASSWORD)
    except Exception as exc:
        user.errors.append(("open the login page", str(exc).splitlines()[0][:300]))
        alive = False
    await barriers[0].wait()
    if alive:
        alive = await step(user, page, "log in", page.get_by_role("button", name="Log in").click,
                           page.get_by_text("Log out"), timeout_ms)
    await barriers[1].wait()
    if not alive:
        await context.close()
        return
    panel = active_panel(page)
    await think()
    ok = await step(user, page, "open For you", lambda: page.goto(f"{address}/for-you"),
                    page.get_by_role("heading", name="Recommended for you"), timeout_ms, loads=True)
    # a tab with nothing to recommend shows its empty state instead: that is rendered too
    for tab, expected in (("People", panel.get_by_role("button", name="Request a meeting")),
                          ("Sessions", panel.get_by_role("button", name="Bookmark")
                           .or_(panel.get_by_text("No session recommendations yet"))),
                          ("Speakers", panel.get_by_text("Speaks at:")
                           .or_(panel.get_by_text("No speaker recommendations yet")))):
        if ok:
            await think()
            ok = await step(user, page, f"{tab} tab", page.get_by_role("tab", name=tab).click, expected, timeout_ms)
    if ok:
        await think()
        ok = await bookmark(user, page, timeout_ms)
    if ok:
        await think()
        await request_meeting(user, page, timeout_ms)
    await context.close()


async def floor_journey(browser, address: str, user: UserRun, barriers: list[asyncio.Barrier], timeout_ms: float,
                        think_s: float = 0.0) -> None:
    """The floor's user: opens the one-button page (after the first barrier, so every user loads it at once), opens it
    again after the second, then clicks its button FLOOR_CLICKS times, each click timed until the page shows the new
    count."""
    context, page = await new_page(browser, timeout_ms)
    rng = random.Random(user.username)

    async def load(name: str) -> bool:
        return await step(user, page, name, lambda: page.goto(f"{address}/"), page.get_by_text("Clicks: 0"),
                          timeout_ms, loads=True, drawn_by_the_run=True)

    async def think() -> bool:  # as in `journey`: a pause before each step after the first load
        if think_s > 0:
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))
        return True

    async def click(name: str, count: int) -> bool:
        return await step(user, page, name, page.get_by_role("button", name="Next").click,
                          page.get_by_text(f"Clicks: {count}", exact=True), timeout_ms, drawn_by_the_run=True)

    await barriers[0].wait()
    ok = await load(FLOOR_STEPS[0])
    await barriers[1].wait()
    ok = ok and await think() and await load(FLOOR_STEPS[1])
    for count, name in enumerate(FLOOR_STEPS[2:], start=1):
        ok = ok and await think() and await click(name, count)
    await context.close()


async def open_tab(page, tab: str, expected, timeout_ms: float) -> None:
    before = await runs_finished(page)
    await page.get_by_role("tab", name=tab).click()
    await rendered(page, before, expected, timeout_ms)


async def bookmark(user: UserRun, page, timeout_ms: float) -> bool:
    """Bookmark the first recommended session not bookmarked yet (on the Sessions tab, opened untimed first)."""
    key = []

    async def to_sessions() -> None:
        await open_tab(page, "Sessions", active_panel(page).get_by_role("button", name="Bookmark"), timeout_ms)
        button = active_panel(page).get_by_role("button", name="Bookmark", exact=True).first
        classes = await button.locator("xpath=ancestor::*[contains(@class,'st-key-bookmark-')][1]").get_attribute(
            "class")
        key.append(next(c for c in classes.split() if c.startswith("st-key-bookmark-")))

    return await step(user, page, "bookmark a session",
                      lambda: page.locator(f".{key[0]}").get_by_role("button", name="Bookmark").click(),
                      lambda: page.locator(f".{key[0]}").get_by_role("button", name="Bookmarked"), timeout_ms,
                      before_step=to_sessions)


async def request_meeting(user: UserRun, page, timeout_ms: float) -> bool:
    """Request a meeting with the first recommended person, at the first free slot (on the People tab, opened and
    the form filled in untimed first)."""
    form = page.locator("[data-testid=stPopoverBody]").filter(has=page.get_by_role("button", name="Send request"))

    async def fill_in() -> None:
        panel = active_panel(page)
        await open_tab(page, "People", panel.get_by_role("button", name="Request a meeting"), timeout_ms)
        # The popover may be lazy (its slots looked up in a rerun when it opens): wait for that run to end too.
        before = await runs_finished(page)
        await panel.get_by_role("button", name="Request a meeting").first.click()
        slot = form.locator("[data-testid=stButtonGroup] button").first
        await slot.wait_for(state="visible")
        await page.wait_for_function(f"() => {STATE} === 'notRunning'", polling=50)
        await slot.click()
        user.lazy_popover = await runs_finished(page) > before

    return await step(user, page, "request a meeting", lambda: form.get_by_role("button", name="Send request").click(),
                      page.get_by_text("Meeting request sent"), timeout_ms, before_step=fill_in)


async def drive(address: str, usernames: list[str], timeout_ms: float, meter: CpuMeter,
                think_s: float = 0.0, user_journey=journey) -> tuple[list[UserRun], float]:
    from playwright.async_api import async_playwright

    users = [UserRun(name) for name in usernames]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        barriers = [asyncio.Barrier(len(users)), asyncio.Barrier(len(users))]

        async def start_meter():
            meter.start()

        # The window starts when every login form is ready (the first barrier) and ends when the last user is done.
        barriers[0] = _BarrierWithAction(len(users), start_meter)
        started = time.perf_counter()
        await asyncio.gather(*(user_journey(browser, address, u, barriers, timeout_ms, think_s) for u in users))
        meter.stop()
        wall = time.perf_counter() - started
        await browser.close()
    return users, wall


class _BarrierWithAction:
    """An asyncio barrier that runs `action` once, when the last party arrives, before releasing them."""

    def __init__(self, parties: int, action):
        self.parties, self.action, self.arrived, self.released = parties, action, 0, asyncio.Event()

    async def wait(self) -> None:
        self.arrived += 1
        if self.arrived == self.parties:
            await self.action()
            self.released.set()
        await self.released.wait()


# ----------------------------------------------------------------------------------------------- report

def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = q * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(users: list[UserRun], meter: CpuMeter, wall: float, args, info: dict) -> dict:
    names, targets = (FLOOR_STEPS, FLOOR_TARGET_STEPS) if args.floor else (STEPS, TARGET_STEPS)
    steps = {}
    for name in names:
        values = [u.times_ms[name] for u in users if name in u.times_ms]
        errors = sum(1 for u in users for s, _ in u.errors if s == name)
        steps[name] = {"n": len(values), "p50_ms": percentile(values, 0.5), "p95_ms": percentile(values, 0.95),
                       "max_ms": max(values) if values else float("nan"),
                       "mean_ms": statistics.fmean(values) if values else float("nan"), "errors": errors}
    cpu = {name: {"cpu_s": seconds, "mean_pct": 100 * seconds / meter.wall if meter.wall else 0.0}
           for name, seconds in meter.seconds.items()}
    errors = [{"user": u.username, "step": s, "error": e} for u in users for s, e in u.errors]
    stuck = [u.username for u in users if u.stuck]
    worst = max((steps[s]["p95_ms"] for s in targets if steps[s]["n"]), default=float("inf"))
    met = worst <= TARGET_P95_MS and not errors and not stuck and all(steps[s]["n"] == len(users) for s in targets)
    return {"users": len(users), "floor": args.floor, "target_steps": list(targets),
            "attendees": 0 if args.floor else args.attendees, "worker": args.worker, "think_s": args.think,
            "cpu_model": cpu_model(), "cores": os.cpu_count(), "window_s": meter.wall, "wall_s": wall,
            "steps": steps, "cpu": cpu, "errors": errors, "stuck_sessions": stuck, "worst_p95_ms": worst,
            "target_met": met, "steps_without_a_counted_run": len(UNCOUNTED_RUNS),
            "preparation": {k: v for k, v in info.items() if k != "usernames"}}


def report(result: dict) -> str:
    where = ("the one-button floor page (bench/load_floor.py)" if result["floor"]
             else f"a {result['attendees']:,}-attendee event")
    lines = [f"Load test: {result['users']} users in one Chromium on {where} "
             f"({result['cpu_model']}, {result['cores']} cores{', worker running' if result['worker'] else ''}; "
             + (f"mean think time {result['think_s']:g} s before each step)" if result["think_s"]
                else "no think time: every user clicks at once)"),
             "", "| step | n | p50 ms | p95 ms | max ms | errors |", "|---|---:|---:|---:|---:|---:|"]
    for name, s in result["steps"].items():
        mark = "" if name in result["target_steps"] else " (not in target)"
        lines.append(f"| {name}{mark} | {s['n']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['max_ms']:.0f} | "
                     f"{s['errors']} |")
    start = "the first barrier" if result["floor"] else "the login barrier"
    lines += ["", f"Measured window: {result['window_s']:.1f} s (from {start} to the last user's end)",
              "| process | CPU s | mean % of one core |", "|---|---:|---:|"]
    for name, c in result["cpu"].items():
        lines.append(f"| {name} | {c['cpu_s']:.1f} | {c['mean_pct']:.0f} |")
    if result["errors"]:
        lines += ["", "Errors:"] + [f"- {e['user']} / {e['step']}: {e['error']}" for e in result["errors"][:40]]
    if result["stuck_sessions"]:
        lines.append("Stuck sessions: " + ", ".join(result["stuck_sessions"]))
    if result["steps_without_a_counted_run"]:
        lines.append(f"Steps whose rerun the page's run counter did not see (timed on their element and an idle "
                     f"app, plus {UNCOUNTED_GRACE_MS} ms): {result['steps_without_a_counted_run']}")
    which = "every step after the first load" if result["floor"] else "every step after login"
    lines += ["", f"Target: p95 ≤ {TARGET_P95_MS:.0f} ms on {which} (worst "
              f"{result['worst_p95_ms']:.0f} ms), no errors ({len(result['errors'])}), no stuck sessions "
              f"({len(result['stuck_sessions'])}): {'met' if result['target_met'] else 'NOT met'}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--attendees", type=int, default=2000)
    parser.add_argument("--worker", action="store_true", help="run the jobs worker beside the app, as make run does")
    parser.add_argument("--think", type=float, default=0.0, metavar="SECONDS",
                        help="mean pause of each user before each step after login (default 0: every click at once)")
    parser.add_argument("--floor", action="store_true",
                        help="the same browsers on a one-button page instead of the app: the machine's floor")
    parser.add_argument("--step-timeout", type=float, default=60.0, help="seconds before a step counts as failed")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--reuse-dir", type=Path, help="keep the prepared database here between runs")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="serve the app from this checkout")
    parser.add_argument("--failure-shots", type=Path, help="save a screenshot of each failed step here")
    parser.add_argument("--prepare", metavar="URL", help=argparse.SUPPRESS)  # the child process that seeds
    args = parser.parse_args(argv)
    if args.prepare:
        print(json.dumps(prepare(args.prepare, args.attendees, args.users)))
        return 0
    if not os.path.exists(CHROMIUM):
        parser.error("Chromium is missing: install Debian's chromium package (make test does).")
    if args.reuse_dir:
        args.reuse_dir.mkdir(parents=True, exist_ok=True)
    if args.failure_shots:
        global SHOTS
        SHOTS = args.failure_shots
        SHOTS.mkdir(parents=True, exist_ok=True)
    if args.floor:
        return floor(args)
    with load_database(args.attendees, args.users, args.reuse_dir) as (url, info, pg_dir), \
            tempfile.TemporaryDirectory(prefix="gc-load-logs-") as logs:
        print(f"prepared: {json.dumps({k: v for k, v in info.items() if k != 'usernames'})}", file=sys.stderr)
        processes, address = start_server(url, args.app_dir.resolve(), Path(logs), args.worker)
        try:
            meter = CpuMeter({"app server": lambda: tree(processes[0].pid),
                              **({"worker": lambda: tree(processes[1].pid)} if args.worker else {}),
                              "postgres": lambda: postgres_processes(pg_dir),
                              "chromium": browser_processes})
            users, wall = asyncio.run(drive(address, info["usernames"][: args.users], args.step_timeout * 1000,
                                            meter, args.think))
        finally:
            stop(processes)
            server_log = (Path(logs) / "server.log").read_text()
        result = summarise(users, meter, wall, args, info)
        if "Traceback" in server_log:
            result["server_log_tracebacks"] = server_log.count("Traceback")
        emit(report(result), result, args.json)
    return 0 if result["target_met"] else 1


def floor(args) -> int:
    """`--floor`: the browsers on the one-button page; returns 0 when even the floor meets the target."""
    with tempfile.TemporaryDirectory(prefix="gc-load-logs-") as logs:
        processes, address = start_floor_server(Path(logs))
        try:
            meter = CpuMeter({"app server": lambda: tree(processes[0].pid), "chromium": browser_processes})
            users, wall = asyncio.run(drive(address, [f"user{n:02d}" for n in range(1, args.users + 1)],
                                            args.step_timeout * 1000, meter, args.think, floor_journey))
        finally:
            stop(processes)
    result = summarise(users, meter, wall, args, {})
    emit(report(result), result, args.json)
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
