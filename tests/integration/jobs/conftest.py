"""Fixtures shared by the job tests: real worker processes against the test database."""
import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DEFAULT_LEASE_SECONDS = 5


@pytest.fixture
def start_worker(db, database_url, tmp_path, request):
    """Start `python -m jobs worker` processes (each in its own process group) with the test module's
    `LEASE_SECONDS` (default 5); all are killed at teardown, before the database is emptied."""
    lease_seconds = getattr(request.module, "LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
    started: list[subprocess.Popen] = []

    def start(name: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "jobs", "worker"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "DATABASE_URL": database_url, "WORKER_LEASE_SECONDS": str(lease_seconds)},
            start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
