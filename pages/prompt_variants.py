"""Staff page: the Prompt Lab — prompt variants, versions, previews, dry runs, traffic and performance."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.accounts import Role
from core.ai.call_log import recent_calls
from core.ai.experiments import (
    RATES,
    latest_report,
    optimizer_report,
    performance_rows,
    run_learning_loop,
    variant_performance,
)
from core.ai.prompts import (
    STATUSES,
    TEMPLATE_VARIABLES,
    VariantDraft,
    VariantError,
    create_variant,
    edit_variant,
    list_variants,
    previous_version,
    set_traffic,
    template_diff,
)
from core.recommend.people import event_people
from core.recommend.prompt_lab import dry_run, model_label, preview_prompt
from ui.auth import require_role
from ui.resources import clock, db_session, embedder, llm, settings, transaction
from ui.tables import data_table
from ui.widgets import event_picker, show_outcome

user = require_role(Role.STAFF)
st.title("Prompt Lab")

if settings().llm_enabled:
    st.success(f"The LLM path is configured (model `{settings().llm_model}`): each attendee is ranked with "
               "their assigned variant, with the algorithmic matcher as fallback.")
else:
    st.warning("No ANTHROPIC_API_KEY is set: recommendations use the algorithmic matcher only, and no prompt "
               "variant is sent to an LLM. Previews still show the exact prompt; dry runs are labelled algorithmic.")

show_outcome("lab")

with db_session() as session:
    variants = list_variants(session)
if not variants:
    st.info("No prompt variants yet. The seed variants (control, goal_focused, conversation_optimized) are "
            "created when the app starts: restart it to create them.")
    st.stop()


def label(variant) -> str:
    return f"{variant.name} v{variant.version} ({variant.status})"


def change(apply, notice) -> None:
    """Run `apply(session)` in a transaction, keep notice(result) or the error for the next run, and rerun."""
    try:
        with transaction() as session:
            result = apply(session)
            message = notice(result)
    except VariantError as exc:
        st.session_state["lab_error"] = str(exc)
    else:
        st.session_state["lab_notice"] = message
    st.rerun()


tab_variants, tab_preview, tab_traffic, tab_performance, tab_calls = st.tabs(
    ["Variants", "Preview & dry run", "Traffic", "Performance", "Call log"])

with tab_variants:
    data_table(pd.DataFrame([{"name": v.name, "version": v.version, "status": v.status, "weight %": v.weight,
                                "model": model_label(v.model, settings().llm_model), "temperature": v.temperature,
                                "notes": v.notes, "created": v.created_at.strftime("%Y-%m-%d %H:%M")}
                               for v in variants]), hide_index=True, width="stretch")
    chosen = st.selectbox("Variant version", variants, format_func=label, key="lab_variant")
    st.caption(f"Model used by {chosen.name} v{chosen.version}: `{model_label(chosen.model, settings().llm_model)}`.")
    with db_session() as session:
        before = previous_version(session, chosen)
    if before is not None:
        with st.expander(f"Changes since v{before.version}"):
            diff = template_diff(before.template, chosen.template, f"v{before.version}", f"v{chosen.version}")
            st.code(diff or "No change to the template.", language="diff")
    st.caption("Variables: " + ", ".join("{" + v + "}" for v in TEMPLATE_VARIABLES) + ". Write literal braces "
               "as {{ and }}. A version that produced recommendations is never changed: saving makes a new "
               "version.")
    with st.form("edit_variant"):
        template = st.text_area("Template", chosen.template, height=320)
        left, middle, right = st.columns(3)
        temperature = left.number_input("Temperature", 0.0, 1.0, float(chosen.temperature), 0.05)
        model = middle.text_input("Model (blank: the default)", chosen.model or "")
        notes = right.text_input("Notes", chosen.notes)
        if st.form_submit_button("Save", type="primary"):
            change(lambda session: edit_variant(
                session, variant_id=chosen.id, draft=VariantDraft(template, temperature, model, notes),
                actor_id=user.account_id, clock=clock()), lambda saved: f"Saved {saved.name} v{saved.version}.")
    with st.expander("New variant"), st.form("new_variant"):
        name = st.text_input("Name")
        new_template = st.text_area("Template", chosen.template, height=240, key="new_template")
        new_notes = st.text_input("Notes", key="new_notes")
        if st.form_submit_button("Create draft"):
            change(lambda session: create_variant(
                session, name=name, draft=VariantDraft(new_template, notes=new_notes), actor_id=user.account_id,
                clock=clock()), lambda created: f"Created {created.name} v1 as a draft (no traffic yet).")

with tab_preview:
    event = event_picker(user, key="lab_event")
    if event is not None:
        with db_session() as session:
            people = event_people(session, event.id)
        if len(people) < 2:
            st.info("This event needs at least two attendees for a preview.")
        else:
            variant = st.selectbox("Variant", variants, format_func=label, key="lab_preview_variant")
            attendee = st.selectbox("Attendee", people, key="lab_attendee",
                                    format_func=lambda p: f"{p.first_name} {p.last_name} — {p.role}")
            if st.button("Preview the prompt"):
                try:
                    with st.spinner("Building the candidate pool…"), transaction() as session:
                        preview = preview_prompt(session, event_id=event.id, person_id=attendee.id,
                                                 variant_id=variant.id, embedder=embedder(), clock=clock())
                except VariantError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["lab_preview"] = preview
            preview = st.session_state.get("lab_preview")
            if preview is not None:
                st.caption("Exactly what is sent: no names, emails, phone numbers or links; attendee-written text "
                           f"is fenced. Model: `{model_label(preview.model, settings().llm_model)}`.")
                st.code(preview.system, language="text")
                st.code(preview.prompt.prompt, language="markdown")
            st.divider()
            controls = [v for v in variants if v.name == "control" and v.status == "active"] or variants
            sample = st.slider("Attendees in the dry run", 1, 20, 5)
            if st.button("Dry-run against control"):
                try:
                    with st.spinner("Ranking the sample with both prompts…"), transaction() as session:
                        rows = dry_run(session, event_id=event.id, variant_id=variant.id, control_id=controls[0].id,
                                       embedder=embedder(), clock=clock(), llm=llm(), sample=sample)
                except VariantError as exc:
                    st.error(str(exc))
                    rows = []
                st.session_state["lab_dry_run"] = rows
            rows = st.session_state.get("lab_dry_run")
            if rows:
                if not settings().llm_enabled:
                    st.info("Algorithmic path: no API key is set, so both columns show the algorithmic ranking.")
                data_table(pd.DataFrame([{
                    "attendee": r.attendee,
                    f"control · {model_label(controls[0].model, settings().llm_model)} ({r.control_strategy})":
                        "; ".join(r.control),
                    f"{variant.name} v{variant.version} · {model_label(variant.model, settings().llm_model)} "
                    f"({r.variant_strategy})": "; ".join(r.variant)}
                    for r in rows]), hide_index=True, width="stretch")

with tab_traffic:
    st.caption("Active variants share the traffic; their weights must add up to 100%. Attendees are assigned by "
               "a hash of their id, so the same weights always give the same assignment.")
    editable = [v for v in variants if v.status != "retired"]
    statuses, weights = {}, {}
    for v in editable:
        left, middle, right = st.columns([3, 2, 2])
        left.markdown(f"**{v.name} v{v.version}**")
        statuses[v.id] = middle.selectbox("Status", STATUSES, STATUSES.index(v.status), key=f"status-{v.id}")
        weights[v.id] = right.number_input("Weight %", 0.0, 100.0, float(v.weight), 5.0, key=f"weight-{v.id}")
    total = sum(weights[i] for i, s in statuses.items() if s == "active")
    st.metric("Active weights", f"{total:g}%", delta=None if total == 100 else f"{total - 100:+g} from 100%")
    confirm = st.checkbox("I understand this changes which prompt attendees get from the next refresh")
    if st.button("Apply traffic changes", type="primary", disabled=not confirm):
        change(lambda session: set_traffic(session, statuses=statuses, weights=weights, actor_id=user.account_id,
                                           clock=clock()), lambda _: "Traffic updated (audit-logged).")

with tab_performance:
    with db_session() as session:
        performance = variant_performance(session)
    if not performance:
        st.info("No recommendations yet: the table fills once recommendations are generated and attendees act.")
    else:
        data_table(pd.DataFrame(performance_rows(performance)), hide_index=True, width="stretch")
        figure = go.Figure()
        for rate in RATES:
            figure.add_bar(name=rate, x=[p.label for p in performance],
                           y=[100 * p.rates[rate].value for p in performance],
                           error_y={"type": "data", "symmetric": False,
                                    "array": [100 * (p.rates[rate].interval.high - p.rates[rate].value)
                                              for p in performance],
                                    "arrayminus": [100 * (p.rates[rate].value - p.rates[rate].interval.low)
                                                   for p in performance]})
        figure.update_layout(barmode="group", yaxis_title="% of recommendations (95% CI)", height=380)
        st.plotly_chart(figure, width="stretch")
        st.markdown(f"**Optimizer:** {optimizer_report(performance)['verdict']}")
    with db_session() as session:
        analysis = latest_report(session, "analysis")
    if st.button("Analyse feedback now"):
        with st.spinner("Analysing feedback…"), transaction() as session:
            run_learning_loop(session, clock())
        st.rerun()
    if analysis is None:
        st.caption("The feedback analysis runs daily (job `learning-loop`); none has run yet.")
    else:
        body = analysis.body
        st.subheader("Feedback analysis")
        st.caption(f"Computed {analysis.created_at:%Y-%m-%d %H:%M} UTC over {body['total_recommendations']:,} "
                   "recommendations.")
        for suggestion in body["suggestions"] or ["No suggestions yet: more feedback is needed."]:
            st.markdown(f"- {suggestion}")
        bands = pd.DataFrame([{"score band": k, **v} for k, v in body["score_bands"].items()])
        data_table(bands, hide_index=True, width="stretch")
        if body["success_factors"]:
            data_table(pd.DataFrame(body["success_factors"]), hide_index=True, width="stretch")

with tab_calls:
    with db_session() as session:
        calls = recent_calls(session)
    if not calls:
        st.info("No LLM calls yet. They appear here with tokens, cost, latency and outcome (never content).")
    else:
        data_table(pd.DataFrame([{
            "at": c.created_at.strftime("%Y-%m-%d %H:%M:%S"), "feature": c.feature, "variant id": c.prompt_variant_id,
            "model": c.model, "outcome": c.outcome, "tokens in": c.input_tokens, "tokens out": c.output_tokens,
            "cost $": round(c.cost_usd, 5), "latency ms": c.latency_ms, "attempts": c.attempts, "error": c.error}
            for c in calls]), hide_index=True, width="stretch")
