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

user = require_role(Role.ADMIN)
st.title("⚙️ Jobs")

with db_session() as session:
    upcoming = next_run_times(session)
st.subheader("Schedule")
if not upcoming:
    st.caption("The worker has not registered its schedule yet: start it with `python -m jobs worker`.")
st.dataframe(pd.DataFrame([{
    "job": job.id, "what it does": job.description, "schedule": job.schedule_text,
    "next run": upcoming[job.id].strftime("%Y-%m-%d %H:%M UTC") if job.id in upcoming else "—",
} for job in JOBS.values()]), hide_index=True, width="stretch")

c1, c2 = st.columns([3, 1])
chosen = c1.selectbox("Run a job now", list(JOBS), format_func=lambda j: JOBS[j].title)
c2.write("")
if c2.button("Run now", type="primary"):
    with st.spinner(f"Running {JOBS[chosen].title}…"):
        run = run_job(chosen, engine=engine(), clock=clock(), trigger="manual", embedder=embedder(),
                      settings=settings(), llm=llm())
    if run.status == "succeeded":
        st.success(f"{JOBS[chosen].title} finished in {run.duration_ms} ms: {run.counts}")
    elif run.status == "skipped":
        st.warning(run.error)
    else:
        st.error(f"{JOBS[chosen].title} failed: {(run.error or '').splitlines()[0]}")

with db_session() as session:
    waiting, alive = waiting_jobs(session), worker_is_alive(session, clock())
st.subheader("Waiting for the worker")
if not alive:
    st.warning("No jobs worker has checked in during the last 30 seconds: queued uploads and jobs wait until one "
               "runs (`python -m jobs worker`; `make run` starts one).")
if not waiting:
    st.caption("Nothing is queued. Uploads queue the jobs that depend on them (embeddings, geocoding, clusters).")
else:
    st.dataframe(pd.DataFrame([{"job": w.job_id, "event": w.event or "all", "status": w.status, "why": w.reason,
                                "requested": w.requested_at} for w in waiting]), hide_index=True, width="stretch")

st.subheader("Run history")
with db_session() as session:
    runs = recent_runs(session)
if not runs:
    st.info("No job has run yet.")
else:
    history = pd.DataFrame([{
        "job": r.job_id, "trigger": r.trigger, "status": r.status, "started": r.started_at,
        "duration (ms)": r.duration_ms, "counts": ", ".join(f"{k}={v}" for k, v in (r.counts or {}).items()),
        "error": (r.error or "").splitlines()[0] if r.error else "",
    } for r in runs])
    st.plotly_chart(px.scatter(history, x="started", y="job", color="status", size_max=10, title="Recent runs",
                               color_discrete_map={"succeeded": "#2e7d32", "failed": "#c62828", "skipped": "#9e9e9e",
                                                   "running": "#1565c0"}), width="stretch")
    st.dataframe(history, hide_index=True, width="stretch")
