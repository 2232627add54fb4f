"""The profile fields shared by sign-up and My profile: pickers with human labels, never raw codes."""
from __future__ import annotations

import streamlit as st

from core.events.labels import (
    CHALLENGE_SUGGESTIONS,
    COMPANY_SIZE_LABELS,
    GOAL_LABELS,
    INTEREST_CATEGORIES,
    company_size_label,
    goal_label,
)

INTEREST_OPTIONS = [i for items in INTEREST_CATEGORIES.values() for i in items]


def _joined(items: list[str]) -> str:
    return ";".join(i.replace(";", ",") for i in items)


def required_fields(values: dict, key: str) -> dict[str, str]:
    """Name, company, role, interests and goals (seed 000 §1.2 step 1)."""
    c1, c2 = st.columns(2)
    first_name = c1.text_input("First name", values.get("first_name", ""), max_chars=100, key=f"{key}_first")
    last_name = c2.text_input("Last name", values.get("last_name", ""), max_chars=100, key=f"{key}_last")
    company = c1.text_input("Company", values.get("company", ""), max_chars=200, key=f"{key}_company")
    role = c2.text_input("Role", values.get("role", ""), max_chars=200, key=f"{key}_role")
    current = list(values.get("interests") or [])
    options = INTEREST_OPTIONS + [i for i in current if i not in INTEREST_OPTIONS]
    interests = st.multiselect("Interests (1–10)", options, default=current, accept_new_options=True,
                               max_selections=10, key=f"{key}_interests",
                               help="Pick from the list or type your own and press Enter.")
    goals = st.multiselect("What do you want from this event?", list(GOAL_LABELS), format_func=goal_label,
                           default=[g for g in values.get("goals") or [] if g in GOAL_LABELS], key=f"{key}_goals")
    return {"first_name": first_name, "last_name": last_name, "company": company, "role": role,
            "interests": _joined(interests), "goals": _joined(goals)}


def optional_fields(values: dict, key: str) -> dict[str, str]:
    """Industry, size, experience, skills, bio, place and public profiles (seed 000 §1.2 step 2)."""
    c1, c2 = st.columns(2)
    industry = c1.text_input("Industry", values.get("industry") or "", max_chars=120, key=f"{key}_industry")
    sizes = [""] + list(COMPANY_SIZE_LABELS)
    size = values.get("company_size") or ""
    company_size = c2.selectbox("Company size", sizes, index=sizes.index(size) if size in sizes else 0,
                                format_func=lambda s: company_size_label(s) or "—", key=f"{key}_size")
    years = c1.number_input("Years of experience", min_value=0, max_value=70, value=values.get("years_experience"),
                            step=1, placeholder="Leave empty if you'd rather not say", key=f"{key}_years")
    offered = c2.multiselect("Skills I can offer", list(values.get("skills_offered") or []),
                             default=list(values.get("skills_offered") or []), accept_new_options=True,
                             max_selections=20, key=f"{key}_offered", help="Type a skill and press Enter.")
    needed = c1.multiselect("Skills I need", list(values.get("skills_needed") or []),
                            default=list(values.get("skills_needed") or []), accept_new_options=True,
                            max_selections=20, key=f"{key}_needed", help="Type a skill and press Enter.")
    bio = st.text_area("Bio", values.get("bio") or "", max_chars=500, key=f"{key}_bio")
    c3, c4 = st.columns(2)
    city = c3.text_input("City", values.get("city") or "", max_chars=120, key=f"{key}_city")
    country = c4.text_input("Country", values.get("country") or "", max_chars=120, key=f"{key}_country")
    linkedin = c3.text_input("LinkedIn URL", values.get("linkedin_url") or "", max_chars=300, key=f"{key}_linkedin")
    github = c4.text_input("GitHub username", values.get("github_username") or "", max_chars=100,
                           key=f"{key}_github")
    twitter = c3.text_input("Twitter/X handle", values.get("twitter_handle") or "", max_chars=100,
                            key=f"{key}_twitter")
    return {"industry": industry, "company_size": company_size,
            "years_experience": "" if years is None else str(int(years)), "skills_offered": _joined(offered),
            "skills_needed": _joined(needed), "bio": bio, "city": city, "country": country,
            "linkedin_url": linkedin, "github_username": github, "twitter_handle": twitter}


def challenge_field(value: str, key: str) -> str:
    """Seed 000 §6.6: 'What's your biggest challenge right now?' with suggestion chips."""
    st.markdown("**What's your biggest challenge right now?**")
    st.caption("We'll connect you with others facing the same challenge.")
    text_key = f"{key}_text"
    st.session_state.setdefault(text_key, value)
    picked = st.pills("Or pick a common one:", CHALLENGE_SUGGESTIONS, key=f"{key}_chip")
    if picked and st.session_state.get(f"{key}_last_chip") != picked:
        st.session_state[text_key] = picked  # a chip fills the text box, which stays editable
        st.session_state[f"{key}_last_chip"] = picked
    return st.text_area("Your challenge", max_chars=1000, key=text_key,
                        placeholder="e.g., We're struggling to hire senior engineers in a competitive market…")
