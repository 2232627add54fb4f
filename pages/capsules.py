"""Attendee page: knowledge capsules ranked for the reader with the reasons, trending capsules, a learning path to a
role or a goal, and a form to write a capsule."""

import pandas as pd
import streamlit as st

from core.accounts import Role
from core.community.capsules import MAX_CONTENT, MAX_DURATION, MAX_TITLE, CapsuleDraft, CapsuleError, ReactionKind
from core.community.capsules import draft_problems as problems_of
from ui import capsules
from ui.auth import require_role
from ui.tables import data_table
from ui.text import plain

user = require_role(Role.ATTENDEE)
st.title("Capsules")
st.caption("Short pieces of knowledge written by attendees and alumni: ranked for you by your skills, what others "
           "read and like, the author, how new they are and how close they are to your profile.")

if user.person_id is None:
    st.info("Capsules are ranked from an attendee profile, and this account has none.")
    st.stop()

SECTIONS = ["For you", "Trending", "Learning path", "Write a capsule"]
wanted_role = st.query_params.get("role")
if wanted_role and "capsules_section" not in st.session_state:
    st.session_state["capsules_section"] = "Learning path"
section = st.radio("Show", SECTIONS, horizontal=True, key="capsules_section", label_visibility="collapsed")


def minutes(value: int) -> str:
    """A duration in minutes, as hours and minutes from an hour on."""
    return f"{value} min" if value < 60 else f"{value // 60} h {value % 60:02d} min"


def counted(number: int, word: str) -> str:
    """A count with its word, plural unless one."""
    return f"{number:,} {word}" + ("" if number == 1 else "s")


def show_capsule(item) -> None:
    """One capsule card: title, author and counts, why it is here, and the actions."""
    with st.container(border=True, key=f"capsule_card_{item.capsule_id}"):
        st.markdown(f"**{plain(item.title)}**")
        meta = [f"by {plain(item.author_name, 80)}", minutes(item.duration_minutes)]
        if item.category:
            meta.append(plain(item.category, 40))
        meta.append(" · ".join(counted(n, word) for n, word in ((item.views, "view"), (item.likes, "like"),
                                                                 (item.bookmarks, "bookmark"))))
        st.caption(" · ".join(meta))
        st.markdown("Why: " + "; ".join(plain(r) for r in item.reasons))
        if item.tags:
            st.caption("Tags: " + plain(", ".join(item.tags), 200))
        opened = st.session_state.get("capsule_open") == item.capsule_id
        left, middle, right, _ = st.columns([1, 1, 1.3, 4])
        if left.button("Close" if opened else "Read", key=f"capsule_read_{item.capsule_id}"):
            if opened:
                st.session_state.pop("capsule_open", None)
            else:
                capsules.open_capsule(item.capsule_id, user.person_id)
                st.session_state["capsule_open"] = item.capsule_id
            st.rerun()
        if item.own:
            middle.caption("Your capsule")
        elif middle.button("Unlike" if item.liked else "Like", key=f"capsule_like_{item.capsule_id}",
                           icon=":material/thumb_up:"):
            capsules.react(item.capsule_id, user.person_id, ReactionKind.LIKE)
            st.rerun()
        if not item.own and right.button("Remove bookmark" if item.bookmarked else "Bookmark",
                                         key=f"capsule_mark_{item.capsule_id}", icon=":material/bookmark:"):
            capsules.react(item.capsule_id, user.person_id, ReactionKind.BOOKMARK)
            st.rerun()
        if opened:
            st.divider()
            st.markdown(plain(item.content))


if section == "For you" and not capsules.library_size():
    st.info("No capsules yet. Share what you know under “Write a capsule”; an administrator can also upload a "
            "library of them (Uploads → Knowledge capsules).")
elif section == "For you":
    status, computed_at, items = capsules.ranking(user.person_id)
    if not items:
        st.info("Your capsule ranking is being prepared: it is computed in the background from your profile and "
                "appears here within a few minutes. Meanwhile, see what is trending.")
    else:
        note = f"Ranked {computed_at:%Y-%m-%d %H:%M} UTC from your skills, what others read and your profile."
        if status == "stale":
            note += " A fresher ranking is being prepared."
        st.caption(note)
        shown = st.session_state.get("capsules_shown", 10)
        for item in items[:shown]:
            show_capsule(item)
        if len(items) > shown and st.button(f"Show more ({len(items) - shown} left)", key="capsules_more"):
            st.session_state["capsules_shown"] = shown + 10
            st.rerun()

elif section == "Trending":
    st.subheader("Trending this week")
    rows = capsules.trending()
    if not rows:
        st.info("No capsule was read in the last 7 days yet.")
    else:
        st.caption("Capsules read in the last 7 days, by how much their readers (one a day per person) grew against "
                   "the 7 days before.")
        data_table(pd.DataFrame([{
            "capsule": t.title, "author": t.author_name, "this week": t.recent_views,
            "the week before": t.previous_views,
            "growth": "new this week" if t.previous_views == 0 else f"{t.growth:+.0%}"} for t in rows]),
            column_config={"capsule": st.column_config.TextColumn(width="large"),
                           "this week": st.column_config.NumberColumn(width="small", help="Readers in the last 7 days"),
                           "the week before": st.column_config.NumberColumn(
                               width="small", help="Readers in the 7 days before those")})

elif section == "Learning path":
    st.subheader("Learning path")
    roles = capsules.roles()
    towards = st.radio("Towards", ["A role", "A goal"], horizontal=True, key="capsules_towards",
                       index=1 if not roles else 0)
    path = None
    if towards == "A role":
        if not roles:
            st.info("Role families appear once the career paths are built from the alumni's role histories; "
                    "describe a goal instead.")
        else:
            index = roles.index(wanted_role) if wanted_role in roles else 0
            role = st.selectbox("Target role", roles, index=index, key="capsules_role")
            path = capsules.role_path(role, user.person_id)
            if not path.missing_skills:
                st.info(f"You already list every skill the career data asks for as {plain(role)}.")
                path = None
    else:
        goal = st.text_input("Your goal", max_chars=300, key="capsules_goal",
                             placeholder="e.g. run machine-learning models in production")
        if goal.strip():
            path = capsules.goal_path(goal.strip())
            if not path.steps:
                st.info("No capsule is close to this goal yet. Try other words, or write one yourself.")
                path = None
            elif path.by_words:
                st.caption("The capsules' meanings are still being indexed, so these share words with your goal in "
                           "their titles or tags.")
    if path is not None:
        if path.steps:
            st.caption(f"{counted(len(path.steps), 'capsule')}, about {minutes(path.total_minutes)} of reading in all.")
            for number, step in enumerate(path.steps, start=1):
                with st.container(border=True):
                    st.markdown(f"**{number}. {plain(step.title)}** — {minutes(step.duration_minutes)}")
                    label = "Covers" if towards == "A role" else "Tags"
                    st.caption(f"{label}: {plain(', '.join(step.skills), 200)} · by {plain(step.author_name, 80)}")
        if path.uncovered:
            st.caption("No capsule teaches yet: " + plain(", ".join(path.uncovered), 300)
                       + ". Know one of these? Write a capsule about it.")

else:
    st.subheader("Write a capsule")
    st.caption("Share something you know in a few minutes of reading. It is published under your name and ranked "
               "for readers whose skills match its tags.")
    with st.form("capsule_form", clear_on_submit=False):
        title = st.text_input("Title", max_chars=MAX_TITLE)
        content = st.text_area("Content", max_chars=MAX_CONTENT, height=220,
                               help="Plain text; at least 40 characters.")
        tags = st.text_input("Tags", placeholder="e.g. SQL, Postgres",
                             help="Skills or topics it is about, separated by commas (at most 12)")
        left, right = st.columns(2)
        category = left.text_input("Category", max_chars=80, placeholder="e.g. Data, Careers, Ops")
        duration = right.number_input("Minutes to read", min_value=1, max_value=MAX_DURATION, value=5, step=1)
        submitted = st.form_submit_button("Publish", type="primary")
    if submitted:
        draft = CapsuleDraft(title=title, content=content, tags=tags.split(","), category=category,
                             duration_minutes=int(duration))
        problems = problems_of(draft)
        if problems:
            st.error("The capsule was not published:\n\n" + "\n".join(f"- {p}" for p in problems))
        else:
            try:
                capsules.publish(user.person_id, draft)
            except CapsuleError as error:
                st.error(str(error))
            else:
                st.success(f"Published “{plain(' '.join(title.split()))}”. It reaches readers' rankings within a "
                           "few minutes.")
