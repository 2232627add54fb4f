"""Attendee page: my consents, "Download my data", how my data is used, and deleting my account (seed 000 §11)."""
import json

import streamlit as st

from core.accounts import Role
from core.privacy.consents import CONSENTS, Consent, person_consents, set_consent
from core.privacy.export import export_person
from ui.auth import client_address, require_role
from ui.navigation import DATA_PROCESSING_PAGE
from ui.privacy_deletion import render_deletion_controls
from ui.resources import clock, db_session, settings, transaction

CONFIRM_ENRICHMENT_OFF = "privacy_confirm_enrichment_off"

user = require_role(Role.ATTENDEE)
st.title("Privacy")
st.caption("Control how your data is used. Changes take effect immediately.")
if user.person_id is None:
    st.info("Your account is not linked to an event registration, so we hold no attendee data about you. "
            "Ask the organizer to add you to the attendee list.", icon=":material/info:")
    st.stop()
person_id, client = user.person_id, client_address()


def key_of(consent: Consent) -> str:
    return f"privacy_consent_{consent.value}"


def save(consent: Consent, value: bool) -> None:
    with transaction() as session:
        set_consent(session, person_id=person_id, consent=consent, value=value, clock=clock(),
                    actor_id=user.account_id, client=client)
    state = "on" if value else "off"
    st.toast(f"Saved: {CONSENTS[consent].label} is {state}.", icon=":material/check_circle:")


def toggled(consent: Consent) -> None:
    value = st.session_state[key_of(consent)]
    if consent is Consent.PROFILE_ENRICHMENT and not value:
        st.session_state[CONFIRM_ENRICHMENT_OFF] = True  # clearing the enrichment data waits for a confirmation
        return
    st.session_state.pop(CONFIRM_ENRICHMENT_OFF, None)
    save(consent, value)


def enrichment_off() -> None:
    st.session_state.pop(CONFIRM_ENRICHMENT_OFF, None)
    save(Consent.PROFILE_ENRICHMENT, False)
    st.toast("Your enrichment data was deleted.", icon=":material/delete:")


def keep_enrichment() -> None:
    st.session_state.pop(CONFIRM_ENRICHMENT_OFF, None)
    st.session_state[key_of(Consent.PROFILE_ENRICHMENT)] = True


with db_session() as session:
    current = person_consents(session, person_id)

st.subheader("Your consents", anchor=False)
with st.container(border=True):
    for consent, info in CONSENTS.items():
        if key_of(consent) not in st.session_state:
            st.session_state[key_of(consent)] = current[consent]
        st.toggle(f"**{info.label}**", key=key_of(consent), on_change=toggled, args=(consent,))
        st.caption(info.explanation)
        if consent is Consent.PROFILE_ENRICHMENT and not settings().enrichment_enabled:
            st.caption(":material/cloud_off: Enrichment from public profiles is off on this server: your answer is "
                       "kept, and we start only once the server has a source configured.")
        if consent is Consent.PROFILE_ENRICHMENT and st.session_state.get(CONFIRM_ENRICHMENT_OFF):
            st.warning("Turning profile enrichment off deletes the data we gathered about you from public "
                       "profiles, and we stop searching for more. You can turn it on again later.",
                       icon=":material/warning:")
            left, right = st.columns(2)
            left.button("Turn off and delete the enrichment data", type="primary", icon=":material/delete:",
                        on_click=enrichment_off, key="privacy_enrichment_off")
            right.button("Keep it on", on_click=keep_enrichment, key="privacy_enrichment_keep")

st.subheader("Download my data", anchor=False)
st.write("Everything we hold about you (your profile, enrichment, connections, recommendations, messages, "
         "meetings, huddles, feedback, notifications and the activity about you) as one JSON file. Other people "
         "appear by name only.")


def my_data() -> bytes:
    """Built when the button is clicked, so every download is current and recorded in the audit log."""
    with transaction() as session:
        export = export_person(session, person_id=person_id, clock=clock(), actor_id=user.account_id,
                               client=client)
    return json.dumps(export, indent=2, ensure_ascii=False).encode("utf-8")


st.download_button("Download my data", data=my_data, file_name="globalconnect-my-data.json",
                   mime="application/json", icon=":material/download:", on_click="ignore")

st.subheader("How we use your data", anchor=False)
st.page_link(DATA_PROCESSING_PAGE.path, label="Purposes, legal bases, retention, third parties and your rights",
             icon=DATA_PROCESSING_PAGE.icon)

st.divider()
render_deletion_controls(person_id)
