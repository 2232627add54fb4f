"""Every role's page: how GlobalConnect processes personal data (seed 000 §11.2): controller, purposes, legal
bases, retention, third parties and your rights."""
import pandas as pd
import streamlit as st

from core.privacy.retention import retention_schedule
from ui.auth import require_role
from ui.navigation import menu_for
from ui.resources import settings
from ui.tables import data_table
from ui.text import plain

user = require_role()
config = settings()
st.title("How we use your data")
st.caption("What GlobalConnect keeps about you, why, for how long, who else sees it, and how to exercise your "
           "rights.")

st.subheader("Who is responsible")
st.markdown(f"**Data controller:** {plain(config.data_controller_name)}  \n"
            f"**Contact for privacy questions and requests:** {plain(config.data_controller_contact)}")

st.subheader("What we use your data for, and why we may")
PURPOSES = [
    ("Running the event: your registration, program, agenda and 1:1 meetings", "your registration profile and "
     "bookings", "contract (your registration)"),
    ("Recommending people, sessions and speakers to you, and you to others", "your profile answers: role, "
     "interests, goals, skills, bio, problem statement", "legitimate interest; you can hide yourself, exclude "
     "signals or object"),
    ("Enriching your profile from public profiles (LinkedIn, GitHub, X)", "only the handles you gave",
     "consent (profile enrichment); withdraw it any time"),
    ("Networking: connections, messages, huddles and shared venue zones", "what you send and share",
     "contract; venue zones only when you opt in"),
    ("Emails about recommendations and follow-ups after the event", "your email address and notification "
     "settings", "consent; withdraw it any time"),
    ("Event analytics for the organizers, aggregated and never about one person", "activity counts",
     "legitimate interest; consent for analytics participation"),
    ("Security and accountability: login throttling and the audit log", "username, hashed client address, "
     "actions", "legal obligation and legitimate interest"),
]
for purpose, data, basis in PURPOSES:
    st.markdown(f"- **{purpose}**  \n  Data: {data}. Legal basis: {basis}.")

st.subheader("How long we keep it")
data_table(pd.DataFrame([{"data": r.data, "kept for": r.period, "why": r.why}
                         for r in retention_schedule(config)]), hide_index=True, width="stretch")
st.caption("A nightly job applies these periods; old recommendations keep only their score, for analytics.")

st.subheader("Who else receives it")
st.markdown(
    "- **The AI provider (Anthropic)** ranks and explains recommendations. It receives **anonymised profiles "
    "only**: an opaque label instead of your name; no email, company, links, phone numbers or social handles; "
    "your role, industry, interests, skills, goals, years of experience, bio and problem statement, each capped "
    "and with your own name removed.\n"
    "- **Public profile sources** (LinkedIn, GitHub, X) are read only if you consented to profile enrichment.\n"
    + ("- **Our email provider** delivers the emails you agreed to receive.\n" if config.mail_enabled else "")
    + "- **Event organizers** see registrations and aggregated analytics for their own events.\n"
    "- Nobody buys or receives your data for advertising.")

st.subheader("Your rights")
st.markdown(
    "- **Access and export:** download everything we hold about you as a file.\n"
    f"- **Deletion:** ask for your account to be deleted. It is deleted for good after "
    f"{config.deletion_grace_days} days; until then you can cancel the request.\n"
    "- **Consents:** turn each consent (recommendation emails, follow-ups, profile enrichment, social profile "
    "linking, analytics participation) on or off at any time; withdrawing stops the processing from then on.\n"
    "- **Objection:** hide yourself from other attendees' recommendations, or exclude single signals (a skill, "
    "an interest, your bio) from matching.\n"
    "- **Correction:** edit your profile on My profile.\n"
    f"- **Complaints:** write to {plain(config.data_controller_contact)}, or to your data-protection authority.")
pages = {spec.url_path: spec for specs in menu_for(user.roles).values() for spec in specs}
privacy = pages.get("privacy")
if privacy is not None:
    st.page_link(privacy.path, label="Exercise your rights on the Privacy page", icon=":material/shield_person:")
else:
    st.info("You exercise these rights on the **Privacy** page in your menu, or by writing to the contact above.",
            icon=":material/shield_person:")
