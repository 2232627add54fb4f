"""Admin page: the job schedule, run history and "run now"."""
import pandas as pd
import plotly.express as px
import streamlit as st

from core.accounts import Role
from core.jobs.registry import JOBS
from core.jobs.runner import next_run_times, recent_runs, run_job
from core.platform.queue import waiting_jobs, worker_is_alive
from ui.auth import require_role
from ui.resources import clock, db_session, embedder, engine, llm, settings
from ui.tables import data_table
from ui.text import plain

user = require_role(Role.ADMIN)
st.title("Jobs")


def job_title(job_id: str) -> str:
    return JOBS[job_id].title if job_id in JOBS else job_id.replace("-", " ").replace("_", " ").capitalize()


def format_counts(counts: dict | None) -> str:
    """A run's counts in words: {"alumni_located": 3} -> "alumni located: 3"."""
    return ", ".join(f"{str(k).replace('_', ' ')}: {v}" for k, v in (counts or {}).items())


with db_session() as session:
    upcoming = next_run_times(session)
st.subheader("Schedule")
if not upcoming:
    st.caption("The worker has not registered its schedule yet: start it with `python -m jobs worker`.")
data_table(pd.DataFrame([{
    "job": job.title, "what it does": job.description, "schedule": job.schedule_text,
    "next run": upcoming[job.id].strftime("%Y-%m-%d %H:%M UTC") if job.id in upcoming else "—",
} for job in JOBS.values()]), hide_index=True, width="stretch")

c1, c2 = st.columns([3, 1])
chosen = c1.selectbox("Run a job now", list(JOBS), format_func=job_title)
c2.write("")
if c2.button("Run now", type="primary", icon=":material/play_arrow:"):
    with st.spinner(f"Running {JOBS[chosen].title}…"):
        run = run_job(chosen, engine=engine(), clock=clock(), trigger="manual", embedder=embedder(),
                      settings=settings(), llm=llm())
    if run.status == "succeeded":
        done = format_counts(run.counts)
        st.success(f"{JOBS[chosen].title} finished in {run.duration_ms} ms" + (f": {plain(done)}" if done else "."))
    elif run.status == "skipped":
        st.warning(plain(run.error))
    else:
        st.error(f"{JOBS[chosen].title} failed: {plain((run.error or '').splitlines()[0] if run.error else '')}")

with db_session() as session:
    waiting, alive = waiting_jobs(session), worker_is_alive(session, clock())
st.subheader("Waiting for the worker")
if not alive:
    st.warning("No jobs worker has checked in during the last 30 seconds: queued uploads and jobs wait until one "
               "runs (`python -m jobs worker`; `make run` starts one).")
if not waiting:
    st.caption("Nothing is queued. Uploads queue the jobs that depend on them (embeddings, geocoding, clusters).")
else:
    data_table(pd.DataFrame([{"job": job_title(w.job_id), "event": w.event or "all", "status": w.status,
                                "tries": w.attempts, "why": w.reason, "requested": w.requested_at}
                               for w in waiting]),
                 hide_index=True, width="stretch")

st.subheader("Run history")
with db_session() as session:
    runs = recent_runs(session)
if not runs:
    st.info("No job has run yet.")
else:
    history = pd.DataFrame([{
        "job": job_title(r.job_id), "trigger": r.trigger, "status": r.status, "started": r.started_at,
        "duration (ms)": r.duration_ms, "counts": format_counts(r.counts),
        "error": (r.error or "").splitlines()[0] if r.error else "",
    } for r in runs])
    st.plotly_chart(px.scatter(history, x="started", y="job", color="status", size_max=10, title="Recent runs",
                               labels={"started": "Started", "job": "Job", "status": "Status"},
                               color_discrete_map={"succeeded": "#2e7d32", "failed": "#c62828", "skipped": "#9e9e9e",
                                                   "running": "#1565c0"}), width="stretch")
    data_table(history, hide_index=True, width="stretch")
