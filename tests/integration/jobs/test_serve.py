"""The worker and app processes: one log line per job run, and Ctrl-C on `python -m jobs serve` stops both."""
import os
import signal
import subprocess
import sys
import time

import httpx

from tests.conftest import ROOT
from tests.stubs.smtp_server import free_port


def test_the_worker_logs_no_line_per_queue_poll(db, database_url):
    worker = subprocess.Popen([sys.executable, "-m", "jobs", "worker"], cwd=ROOT, text=True,
                              env={**os.environ, "DATABASE_URL": database_url}, stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL)
    time.sleep(9)  # four queue polls and a heartbeat
    worker.terminate()
    _, log = worker.communicate(timeout=30)
    assert "worker started" in log
    assert "Running job" not in log and "executed successfully" not in log


def test_ctrl_c_on_serve_stops_the_worker_and_the_app(db, database_url):
    port = free_port()
    serve = subprocess.Popen([sys.executable, "-m", "jobs", "serve", "--port", str(port)], cwd=ROOT,
                             env={**os.environ, "DATABASE_URL": database_url}, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    children = subprocess.run(["pgrep", "-P", str(serve.pid)], capture_output=True, text=True).stdout.split()
    assert len(children) == 2  # the worker and the app
    os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
    serve.wait(timeout=30)
    time.sleep(1)
    alive = [pid for pid in children if subprocess.run(["kill", "-0", pid], capture_output=True).returncode == 0]
    assert alive == []
