"""Admin page: upload datasets, see the row-level report, and browse the upload history."""
import pandas as pd
import streamlit as st

from core.accounts import Role
from core.alumni.location_fixes import LocationError, correct_location, unresolved_locations
from core.ingest.pipeline import (
    MAX_STORED_PROBLEMS,
    ImportReport,
    errors_csv,
    list_uploads,
    upload_errors,
    upload_report,
)
from core.jobs.registry import JOBS
from core.jobs.upload_kinds import DATASET_KINDS
from core.jobs.uploads import claim_upload_now, process_claimed_upload, queue_upload
from core.platform.queue import (
    latest_upload_needing_attention,
    renew_interval,
    upload_lease_expired,
    worker_is_alive,
)
from ui.auth import require_role
from ui.resources import clock, db_session, settings, transaction
from ui.tables import data_table
from ui.text import plain
from ui.widgets import event_picker, show_outcome

user = require_role(Role.ADMIN)
st.title("Uploads")

STATUSES = ("queued", "running", "completed", "rejected", "failed")
SOURCES = {"ui": "Uploads page", "cli": "Command line"}


def kind_label(kind: str) -> str:
    return DATASET_KINDS[kind].label if kind in DATASET_KINDS else kind.replace("_", " ").capitalize()


def show_report(report: ImportReport) -> None:
    """The outcome of one finished upload, with its row-level problems."""
    if report.status == "rejected":
        st.error(f"**{plain(report.filename)}** was rejected and nothing was loaded.\n\n{plain(report.message)}",
                 icon=":material/block:")
        return
    if report.status == "failed":  # the message says that nothing was loaded, and why
        st.error(f"**{plain(report.filename)}** failed.\n\n{plain(report.message)}", icon=":material/error:")
        return
    # A finished upload's summary is counts only; the file name is the uploader's.
    (st.warning if report.rows_invalid else st.success)(f"**{plain(report.filename)}**: {report.summary()}")
    for column, label, value in zip(st.columns(5), ("Rows", "Valid", "With errors", "New", "Updated"),
                                    (report.rows_total, report.rows_valid, report.rows_invalid, report.inserted,
                                     report.updated), strict=True):
        column.metric(label, f"{value:,}")
    for warning in report.warnings:
        st.info(plain(warning))
    if report.follow_up_jobs:
        st.caption("Queued for the jobs worker: "
                   + ", ".join(plain(JOBS[j].title if j in JOBS else j) for j in report.follow_up_jobs) + ".")
    if report.problems:
        data_table(pd.DataFrame([{report.line_label: p.line, "column": p.column, "problem": p.message}
                                   for p in report.problems]), hide_index=True, width="stretch")
        st.download_button("Download error report (CSV)", errors_csv(report.problems, report.line_label),
                           file_name=f"errors-{report.upload_id}.csv", mime="text/csv", icon=":material/download:")


def watched_report() -> ImportReport | None:
    """The report of the upload this admin is watching: the one submitted in this session (as processed on this
    page, else as stored), else their latest upload while it is in the queue or if it did not load."""
    upload_id = st.session_state.get("watched_upload")
    processed = st.session_state.get("processed_report")
    if processed is not None and processed.upload_id == upload_id:
        return processed
    with db_session() as session:
        if upload_id is None:
            upload_id = latest_upload_needing_attention(session, account_id=user.account_id, clock=clock())
        return upload_report(session, upload_id) if upload_id is not None else None


def process_here(report: ImportReport) -> ImportReport | None:
    """Claim the queued upload and process it in this process; None when a worker claimed it first."""
    with transaction() as session:
        claimed = claim_upload_now(session, report.upload_id, clock=clock())
    if not claimed:
        return None
    with st.spinner(f"Processing {report.filename}…"), transaction() as session:
        return process_claimed_upload(session, report.upload_id, clock=clock(), max_mb=settings().upload_max_mb,
                                      renew_every=renew_interval(settings().worker_lease_seconds))


watched = watched_report()
in_progress = watched is not None and watched.status in ("queued", "running")


@st.fragment(run_every=1.0 if in_progress else None)
def upload_progress() -> None:
    """Polls the watched upload's stored progress while it is queued or running; once it has finished, failed or
    been rejected, a full rerun stops the polling and shows what happened."""
    report = watched_report()
    if report is None:
        return
    if report.status not in ("queued", "running"):
        if in_progress:
            st.rerun()  # finished: a full rerun stops the polling and shows the report
        show_report(report)
        return
    if report.status == "running":
        st.progress(report.progress, text=f"**{plain(report.filename)}**: {plain(report.stage)} — "
                                          f"{report.progress:.0%} · "
                                          f"{report.rows_valid:,} valid rows, {report.rows_invalid:,} with errors")
        with db_session() as session:
            stalled = upload_lease_expired(session, report.upload_id, clock=clock(),
                                           lease_seconds=settings().worker_lease_seconds)
            alive = stalled and worker_is_alive(session, clock())
        if stalled:
            st.warning(f"The worker processing this file has not checked in for over "
                       f"{settings().worker_lease_seconds} s, so it has probably stopped; nothing of the file has "
                       f"been loaded. It is queued again (after {settings().work_max_attempts} tries, marked "
                       "failed) " + ("on a worker's next pass." if alive else
                                     "once a worker is running: start one with `python -m jobs worker`."),
                       icon=":material/hourglass_disabled:")
        return
    st.progress(0.0, text=f"**{plain(report.filename)}** is queued for the jobs worker…")
    if report.message:  # queued again after its worker stopped
        st.info(plain(report.message), icon=":material/replay:")
    with db_session() as session:
        alive = worker_is_alive(session, clock())
    if not alive:
        st.warning("No jobs worker has checked in for a while, so nothing is processing the queue. Start it with "
                   "`python -m jobs worker` (`make run` starts one), or process this file here.")
        if st.button("Process it here now", key="process_here", icon=":material/play_arrow:"):
            st.session_state["processed_report"] = process_here(report)
            st.rerun()


new_tab, history_tab, places_tab = st.tabs(["New upload", "History", "Unresolved locations"])
with new_tab:
    kind = st.selectbox("Dataset", list(DATASET_KINDS), format_func=lambda k: DATASET_KINDS[k].label)
    spec = DATASET_KINDS[kind]
    with st.expander("Expected columns"):
        if spec.parts:
            for part, (required, optional) in spec.parts.items():
                st.markdown(f"**{part}** — required: " + ", ".join(f"`{c}`" for c in required)
                            + "; optional: " + ", ".join(f"`{c}`" for c in optional))
        else:
            st.markdown("**Required:** " + ", ".join(f"`{c}`" for c in spec.required))
            st.markdown("**Optional:** " + ", ".join(f"`{c}`" for c in spec.optional))
        if spec.hint:
            st.markdown(spec.hint)
        st.caption("List fields are separated by ';'. Header names ignore case and spacing. "
                   f"Files up to {settings().upload_max_mb:.0f} MB: CSV (any common encoding), XLSX or JSON.")
    event_slug = None
    if spec.needs_event:
        mode = st.radio("Event", ["Existing event", "New event"], horizontal=True)
        if mode == "Existing event":
            event = event_picker(user, "Load into event", key="upload_event")
            event_slug = event.slug if event else None
        else:
            event_slug = st.text_input("New event slug", placeholder="e.g. fintech-week-2027").strip().lower() or None
    uploaded = st.file_uploader("File", type=["csv", "tsv", "txt", "xlsx", "json"],
                                help=f"Up to {settings().upload_max_mb:.0f} MB.")
    if st.button("Validate and load", type="primary", icon=":material/upload:",
                 disabled=uploaded is None or (spec.needs_event and not event_slug)):
        try:
            with transaction() as session:
                upload = queue_upload(session, kind=kind, data=uploaded.getvalue(), filename=uploaded.name,
                                      event_slug=event_slug, actor_id=user.account_id,
                                      clock=clock(), max_mb=settings().upload_max_mb)
        except ValueError as exc:
            st.error(plain(exc))
        else:
            st.session_state["watched_upload"] = upload.id
            st.rerun()
    upload_progress()

with history_tab:
    c1, c2 = st.columns(2)
    kind_filter = c1.selectbox("Dataset", ["All", *DATASET_KINDS], key="history_kind",
                               format_func=lambda k: k if k == "All" else kind_label(k))
    status_filter = c2.selectbox("Status", ["All", *STATUSES], key="history_status", format_func=str.capitalize)
    with db_session() as session:
        uploads = list_uploads(session, kind=None if kind_filter == "All" else kind_filter,
                               status=None if status_filter == "All" else status_filter)
        if not uploads:
            st.info("No uploads yet." if kind_filter == status_filter == "All" else "No upload matches these filters.")
        else:
            data_table(pd.DataFrame([{
                "id": u.id, "when": u.created_at.strftime("%Y-%m-%d %H:%M"), "dataset": kind_label(u.kind),
                "file": u.filename, "from": SOURCES.get(u.source, u.source), "status": u.status,
                "stage": u.stage if u.status in ("queued", "running") else "", "rows": u.rows_total,
                "valid": u.rows_valid, "invalid": u.rows_invalid, "new": u.rows_inserted, "updated": u.rows_updated,
                "message": u.message,
            } for u in uploads]), hide_index=True, width="stretch")
            with_errors = [u for u in uploads if u.rows_invalid]
            if with_errors:
                chosen = st.selectbox("Error report of upload", with_errors,
                                      format_func=lambda u: f"#{u.id} {u.filename} ({u.rows_invalid:,} rows, "
                                                            f"{max(u.errors_total, u.rows_invalid):,} problems)")
                if chosen.errors_total > MAX_STORED_PROBLEMS:
                    st.caption(f"Showing the first {MAX_STORED_PROBLEMS:,} of {chosen.errors_total:,} problems: at "
                               f"most {MAX_STORED_PROBLEMS:,} are kept per upload.")

                def stored_error_report(upload_id: int = chosen.id, line_label: str = chosen.line_label) -> str:
                    """The chosen upload's stored problems as CSV, built only when the button is pressed."""
                    with db_session() as report_session:
                        return errors_csv(upload_errors(report_session, upload_id), line_label)

                st.download_button("Download its error report (CSV)", stored_error_report,
                                   file_name=f"errors-{chosen.id}.csv", mime="text/csv", key="history_download",
                                   icon=":material/download:", on_click="ignore")

with places_tab:
    st.caption("Places the offline gazetteer could not find, so these rows are not on the talent map. Point each "
               "at a known city ('Bengaluru, India') or at coordinates ('12.97, 77.59').")
    show_outcome("places")
    with db_session() as session:
        unresolved = unresolved_locations(session)
    if not unresolved:
        st.info("Every location in the uploaded alumni and job postings is on the map.")
    else:
        data_table(pd.DataFrame([{"location": u.text, "rows": u.rows, "in": u.where} for u in unresolved]),
                     hide_index=True, width="stretch")
        with st.form("correct_location"):
            wrong = st.selectbox("Location", unresolved, format_func=lambda u: f"{u.text} ({u.rows} rows)")
            correction = st.text_input("Place it at", placeholder="e.g. Bengaluru, India  or  12.97, 77.59")
            if st.form_submit_button("Apply to every row with this location", type="primary"):
                try:
                    with transaction() as session:
                        changed = correct_location(session, text=wrong.text, correction=correction,
                                                   actor_id=user.account_id, clock=clock())
                except LocationError as exc:
                    st.session_state["places_error"] = plain(exc)  # show_outcome renders it as Markdown
                else:
                    st.session_state["places_notice"] = f"Placed {changed} rows at {plain(correction)}."
                st.rerun()
