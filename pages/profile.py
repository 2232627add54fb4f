"""Attendee page: my profile, my events, matching visibility, and what enrichment found in my public profiles."""
import streamlit as st

from core.accounts import Role
from core.enrichment.agent import EnrichmentError, EnrichmentState, enrichment_state, request_enrichment
from core.enrichment.facts import CompletionPrompt
from core.events import EnrichmentStatus
from core.events.attendees import PROFILE_FIELDS
from core.events.profiles import ProfileError, get_person, person_events, update_profile
from core.recommend.people import queue_refresh_for_person
from ui.auth import client_address, require_role
from ui.profile_form import optional_fields, required_fields
from ui.resources import clock, db_session, settings, transaction
from ui.tables import data_table
from ui.text import plain

ENRICH_NOTICE = "profile_enrich_notice"
ENRICH_ERROR = "profile_enrich_error"
EDIT_ANCHOR = "edit-profile"
# The profile form field where each platform the completion prompt misses can be added.
PROFILE_FIELD_OF = {"LinkedIn": "LinkedIn URL", "GitHub": "GitHub username", "Twitter/X": "Twitter/X handle"}

user = require_role(Role.ATTENDEE)
st.title("My profile")


def enrich(person_id: int) -> None:
    """The attendee asked for enrichment now: queue it for the worker and keep the answer for the next run."""
    try:
        with transaction() as session:
            message = request_enrichment(session, person_id=person_id, clock=clock(), settings=settings(),
                                         actor_account_id=user.account_id)
    except EnrichmentError as exc:
        st.session_state[ENRICH_ERROR] = str(exc)
    else:
        st.session_state[ENRICH_NOTICE] = message


def render_public_profiles(person_id: int, state: EnrichmentState) -> None:
    """Seed 000 §2, §8.1: the enrichment status, tier, sources and facts, and the "Enrich my profile" action."""
    st.subheader("Public profiles", anchor=False)
    st.caption("With your consent we look up your public profiles (LinkedIn, GitHub, Twitter/X, your website, …) "
               "and use what we find to suggest better matches. You can see everything we found here.")
    notice = st.session_state.pop(ENRICH_NOTICE, None)
    if notice:
        st.success(plain(notice), icon=":material/check_circle:")
    if error := st.session_state.pop(ENRICH_ERROR, None):
        st.error(plain(error), icon=":material/error:")
    if not state.enabled:
        st.info("Enrichment from public profiles is off on this server, so we do not look you up. Add your "
                "LinkedIn, GitHub and Twitter/X under Edit profile so other attendees can find them.",
                icon=":material/cloud_off:")
    elif not state.consented:
        st.info("You have not allowed enrichment from public profiles, so we do not look you up.",
                icon=":material/toggle_off:")
        st.page_link("pages/privacy.py", label="Turn on profile enrichment on Privacy", icon=":material/privacy_tip:")
    if state.prompt:
        render_completion_prompt(state.prompt)
    if (state.enabled and state.consented) or state.facts:
        render_enrichment_status(state, just_queued=bool(notice))
    if state.enabled and state.consented:
        busy = state.status == EnrichmentStatus.PROCESSING or (
            state.status == EnrichmentStatus.PENDING and state.due_at is not None)
        st.button("Enrich my profile", type="primary", icon=":material/travel_explore:", disabled=busy,
                  on_click=enrich, args=(person_id,), key="profile_enrich",
                  help="Look up your public profiles now; the jobs worker does it within a minute")


def render_enrichment_status(state: EnrichmentState, *, just_queued: bool) -> None:
    """Where the enrichment stands (queued, running, done or failed) and everything it found, as plain text."""
    note = None
    if state.status == EnrichmentStatus.PROCESSING:
        note = "Looking now — reload this page in a minute to see what we found.", ":material/progress_activity:"
    elif state.status == EnrichmentStatus.PENDING and state.due_at is not None:
        note = (f"Queued — the worker will look in a moment (from {state.due_at:%H:%M} UTC). Reload this page in a "
                "minute to see what we found.", ":material/hourglass_top:")
    if note and not just_queued:  # right after the click, its answer already says what happens next
        st.info(note[0], icon=note[1])
    when = f"{state.enriched_at:%Y-%m-%d %H:%M} UTC" if state.enriched_at else "never"
    attempts = f"{state.attempts} attempt{'s' if state.attempts != 1 else ''}"
    st.markdown(f"**Status:** {state.status_label} · **Profile tier:** {state.tier_label} · "
                f"**Last enriched:** {when} · {attempts}")
    if state.status == EnrichmentStatus.FAILED and state.last_error:
        st.error(f"The last try did not work: {plain(state.last_error, limit=300)}", icon=":material/error:")
    if state.sources:
        st.markdown("**Found on:** " + " ".join(f":blue-badge[{plain(s)}]" for s in state.sources))
    if state.facts:
        # A handle is shown without its "@": the table's formula guard would otherwise prefix it with an apostrophe.
        data_table([{"what": label, "found": value.removeprefix("@") if label.endswith("handle") else value,
                     "source": source} for label, value, source in state.facts],
                   column_config={"what": {"width": "medium"}, "found": {"width": "large"},
                                  "source": {"width": "small"}})
    elif state.status == EnrichmentStatus.COMPLETED:
        st.caption("We found no public facts to show.")


def render_completion_prompt(prompt: CompletionPrompt) -> None:
    """Seed 000 §8.1's banner: what is missing, and where to add it."""
    with st.container(border=True):
        st.markdown(f":material/lightbulb: **{prompt.title}** {prompt.body}")
        fields = [PROFILE_FIELD_OF.get(label, label) for label in prompt.missing] or list(PROFILE_FIELD_OF.values())
        shown = ", ".join(fields[:-1]) + (" or " if len(fields) > 1 else "") + fields[-1]
        st.markdown(f"[Add your {shown} under Edit profile](#{EDIT_ANCHOR})")


with db_session() as session:
    person = get_person(session, user.person_id) if user.person_id else None
    events = person_events(session, person.id) if person else []
    state = enrichment_state(session, person_id=person.id, settings=settings()) if person else None
if person is None:
    st.info("Your account is not linked to an event registration yet. Ask the organizer to add you to the "
            "attendee list; your profile appears here once you are registered.")
    st.stop()

left, right = st.columns([2, 1])
with left:
    st.subheader(plain(person.full_name), anchor=False)
    st.markdown(plain(f"{person.role} · {person.company}" + (f" · {person.city}, {person.country}"
                                                             if person.city else "")))
    if person.bio:
        st.markdown(plain(person.bio))
with right:
    st.metric("Profile tier", state.tier_label, help="How much we know from your public profiles: rich (3 or more "
              "found), basic (1-2), manual (none found). It never lowers your place in anyone's matches.")
    st.metric("Events", len(events))
if events:
    data_table(
        [{"event": e.name, "starts": e.starts_on, "registered": r.registered_at.date(),
          "checked in": r.checked_in_at.strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "—"} for e, r in events],
        hide_index=True, width="stretch")
render_public_profiles(person.id, state)

st.subheader("Edit profile", anchor=EDIT_ANCHOR)
st.page_link("pages/privacy.py", label="Enrichment from public profiles and your other consents are on Privacy",
             icon=":material/shield_person:")
values = {f: getattr(person, f) for f in PROFILE_FIELDS}
with st.form("profile_form"):
    form = required_fields(values, "profile")
    form |= optional_fields(values, "profile")
    problem = st.text_area("What's your biggest challenge right now?", person.problem_statement or "",
                           max_chars=1000, help="We'll connect you with others facing the same challenge.")
    visible = st.toggle("Show me in other attendees' recommendations", person.matching_visible)
    submitted = st.form_submit_button("Save profile", type="primary")
if submitted:
    form |= {"problem_statement": problem}
    try:
        with transaction() as session:
            changed = update_profile(session, person_id=person.id, actor_id=user.account_id, form=form,
                                     matching_visible=visible, clock=clock(), client=client_address())
    except ProfileError as exc:
        st.error(f"Not saved. Please fix: {exc}")
    else:
        st.success("Saved: " + ", ".join(c.replace("_", " ") for c in changed) if changed else "No changes to save.")
        if changed:
            with transaction() as session:
                queue_refresh_for_person(session, person_id=person.id, clock=clock(), reason="profile edited",
                                         enforce_interval=False)
            st.info("Your matches are being updated with your new profile; For you shows them within a minute.",
                    icon=":material/hourglass_top:")
