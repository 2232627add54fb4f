"""Reusable cards for people, sessions, speakers, agenda entries and meetings.

Every text that came from a user, an upload or the LLM goes through `plain` before it reaches Markdown; the cards'
own formatting (bold, icons, badges) stays outside the escaped parts."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import streamlit as st

from core.agenda.meetings import MeetingView, free_slots
from core.agenda.personal import AgendaEntry
from core.agenda.planner import AgendaConflict
from core.events.labels import COMPANY_SIZE_LABELS, GOAL_LABELS, company_size_label, goal_label
from core.networking.feedback import SKIP_REASONS
from core.recommend.feed import FeedItem
from core.recommend.people import PersonCard
from core.recommend.program import SessionCard, SpeakerCard, display_score, session_has_ended
from core.recommend.signals import CATEGORY_SNOOZE_DAYS, categories_of, snooze_category
from ui.resources import clock, db_session, settings, transaction
from ui.safety import block_report_menu
from ui.text import plain
from ui.widgets import lazy_expander, lazy_popover

PERSON_ACTIONS = [("ping", "Ping", ":material/waving_hand:"), ("connect", "Connect", ":material/handshake:"),
                  ("more_like", "More like this", ":material/thumb_up:"),
                  ("less_like", "Less like this", ":material/thumb_down:"),
                  ("snooze", "Snooze 30 days", ":material/snooze:"), ("dismiss", "Dismiss", ":material/close:")]
FEED_ICONS = {"person": ":material/person:", "session": ":material/co_present:",
              "speaker": ":material/record_voice_over:"}

# Raw vocabulary codes (GET_MENTORED, STARTUP_1_10) that the LLM may echo, and the title-cased chip a goal becomes
# ("Get Mentored"); both are shown as their human label.
_CODES = {**{code: goal_label(code) for code in GOAL_LABELS},
          **{code: company_size_label(code) for code in COMPANY_SIZE_LABELS}}
_CODE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _CODES), key=len, reverse=True)) + r")\b")
_GOAL_CHIPS = {code.replace("_", " ").title(): goal_label(code) for code in GOAL_LABELS}
_GOAL_WORDS = {code.replace("_", " ").lower(): goal_label(code) for code in GOAL_LABELS}
# The session scorer's reason "Aligns with your get mentored, hire goals" names goals by their lowercased codes.
_GOAL_REASON = re.compile(r"^Aligns with your (?P<goals>.+?) goals?$")

# on_request(recipient_id, slots, message, speaker_id) books a meeting; the page decides how it is stored.
RequestMeeting = Callable[[int, list[datetime], str, int | None], None]


def human(text: str | None) -> str:
    """A generated text (reason, chip, starter, potential value) with raw goal and company-size codes replaced by
    their labels; not yet escaped. Names and titles never go through this."""
    if not text:
        return ""
    if text in _GOAL_CHIPS:
        return _GOAL_CHIPS[text]
    reason = _GOAL_REASON.match(text)
    if reason:
        goals = [_GOAL_WORDS.get(g.strip().lower()) for g in reason["goals"].split(",")]
        if goals and all(goals):
            return f"Aligns with your goal{'s' if len(goals) > 1 else ''}: {', '.join(goals)}"
    return _CODE.sub(lambda m: _CODES[m.group(1)], text)


def explained(text: str | None) -> str:
    """A generated explanation (from the matcher or the LLM), with codes turned into labels, escaped for Markdown."""
    return plain(human(text))


def joined(parts, separator: str = " · ") -> str:
    """The non-empty parts, each escaped, joined for one Markdown line."""
    return separator.join(plain(p) for p in parts if p)


def _send_meeting_request(key: str, recipient_id: int, speaker_id: int | None, on_request: RequestMeeting) -> None:
    # A submit callback: the request is stored before the rerun that shows its outcome, so one run does both
    on_request(recipient_id, list(st.session_state.get(f"meet-slots-{key}") or []),
               st.session_state.get(f"meet-note-{key}", ""), speaker_id)


def meeting_popover(*, event_id: int, person_id: int, recipient_id: int | None, key: str, on_request: RequestMeeting,
                    speaker_id: int | None = None) -> None:
    """Ask for a 1:1 at slots free for both people; `on_request` sends it (the form's submit callback), then the
    page reruns.

    The popover is lazy (its key is `meet-open-{key}`): the free slots, two queries per card, are looked up only
    for the card whose popover is open, not for every card on every rerun."""
    if recipient_id is None:
        st.caption("This speaker has no attendee account, so a meeting cannot be booked in the app.")
        return
    popover = lazy_popover("Request a meeting", icon=":material/calendar_month:", key=f"meet-open-{key}")
    if popover is None:
        return
    with popover:
        with db_session() as session:
            slots = free_slots(session, event_id=event_id, person_ids=[person_id, recipient_id], now=clock().now(),
                               minutes=settings().meeting_minutes)
        if not slots:
            st.info("You have no free slot in common. Drop a session from your agenda to make room.")
            return
        with st.form(f"meet-{key}"):
            st.pills("Propose up to 3 slots", slots, selection_mode="multi", key=f"meet-slots-{key}",
                     format_func=lambda s: f"{s:%a %H:%M}")
            st.text_input("Message (optional)", max_chars=300, key=f"meet-note-{key}")
            st.form_submit_button("Send request", type="primary", on_click=_send_meeting_request,
                                  args=(key, recipient_id, speaker_id, on_request))


def feed_card(item: FeedItem) -> None:
    """One item of the unified feed: a person, session or speaker with its score and top reasons."""
    with st.container(border=True):
        st.markdown(f"{FEED_ICONS[item.kind]} **{plain(item.title)}** · {item.kind} · "
                    f"match **{display_score(item.score)}**")
        if item.subtitle:
            st.caption(plain(item.subtitle))
        if item.reasons:
            st.markdown(" · ".join(explained(r) for r in item.reasons[:3]))


# What the card's caption says about where the attendee stands with the person (a core RequestState value).
CONNECT_STATUS = {"connected": "You are connected.", "requested": "Request sent: waiting for their answer.",
                  "incoming": "They asked to connect with you: accept it here or on My network."}
OWN_LINE = -1  # the ping form's "my own line" choice


def ping_control(column, rec, on_action: Callable[..., None]) -> None:
    """Ping: pick one of the match's conversation starters or write a line (at most 300 characters)."""
    if rec.pinged_at:
        column.button("Pinged", key=f"ping-{rec.id}", icon=":material/waving_hand:", disabled=True, width="stretch")
        return
    popover = lazy_popover("Ping", key=f"ping-open-{rec.id}", where=column, icon=":material/waving_hand:",
                           width="stretch")
    if popover is None:
        return
    with popover, st.form(f"ping-form-{rec.id}"):
        starters = [human(s) for s in rec.starters if s]
        st.radio("Open with a conversation starter", [*range(len(starters)), OWN_LINE], key=f"ping-starter-{rec.id}",
                 format_func=lambda i: "My own line (below)" if i == OWN_LINE else plain(starters[i]))
        st.text_input("Your line", max_chars=300, key=f"ping-line-{rec.id}",
                      placeholder="e.g. Free for a coffee after the keynote?")
        st.form_submit_button("Send ping", type="primary", icon=":material/send:", on_click=_send_ping,
                              args=(rec.id, starters, on_action))


def _send_ping(recommendation_id: int, starters: list[str], on_action: Callable[..., None]) -> None:
    # A submit callback, so that the ping is stored before the one rerun that shows it
    choice = st.session_state.get(f"ping-starter-{recommendation_id}")
    own = (st.session_state.get(f"ping-line-{recommendation_id}") or "").strip()
    on_action(recommendation_id, "ping", own or (starters[choice] if choice not in (None, OWN_LINE) else ""))


def connect_control(column, rec, state: str | None, on_action: Callable[..., None]) -> None:
    """Connect: a request with an optional note; "Requested" while it waits, "Accept request" when they asked."""
    if state in ("connected", "requested"):
        column.button("Connected" if state == "connected" else "Requested", key=f"connect-{rec.id}",
                      icon=":material/handshake:" if state == "connected" else ":material/schedule_send:",
                      disabled=True, width="stretch")
        return
    if state == "incoming":
        column.button("Accept request", key=f"connect-{rec.id}", icon=":material/how_to_reg:", type="primary",
                      on_click=on_action, args=(rec.id, "connect"), width="stretch")
        return
    popover = lazy_popover("Connect", key=f"connect-open-{rec.id}", where=column, icon=":material/handshake:",
                           width="stretch")
    if popover is None:
        return
    with popover, st.form(f"connect-form-{rec.id}"):
        st.caption("They see your request, and you are connected once they accept.")
        st.text_area("Add a note (optional)", max_chars=500, key=f"connect-note-{rec.id}",
                     placeholder="e.g. I'd love to hear how you scaled your data team.")
        st.form_submit_button("Send connection request", type="primary", icon=":material/send:",
                              on_click=_send_connection_request, args=(rec.id, on_action))


def _send_connection_request(recommendation_id: int, on_action: Callable[..., None]) -> None:
    on_action(recommendation_id, "connect", st.session_state.get(f"connect-note-{recommendation_id}", ""))


def _snooze_category(person_id: int, category: str) -> None:
    with transaction() as session:
        until = snooze_category(session, person_id=person_id, category=category, clock=clock())
    st.toast(f"{category.label} are hidden from For you until {until:%d %b %Y}. Show them again on "
             "Audit my signals.", icon=":material/snooze:")


def category_snooze_menu(*, person_id: int, other, key: str) -> None:
    """Snooze this card's category (e.g. investors) for 30 days, when the person falls in one."""
    categories = sorted(categories_of(other), key=lambda c: c.label)
    if not categories:
        return
    popover = lazy_popover("Snooze category", key=f"{key}-open", icon=":material/snooze:")
    if popover is None:
        return
    with popover:
        for category in categories:
            st.button(f"Snooze {category.label.lower()} for {CATEGORY_SNOOZE_DAYS} days", key=f"{key}-{category}",
                      on_click=_snooze_category, args=(person_id, category))


def person_card(card: PersonCard, *, event_id: int, person_id: int, on_action: Callable[..., None],
                on_feedback: Callable[[int], None], on_request: RequestMeeting, state: str | None = None) -> None:
    """A recommended person: who they are, why they match, the actions, a meeting request and a rating.

    `on_action(recommendation_id, action, text="")` records an action (`text`: a request's note or a ping's line);
    `state` is where the attendee stands with the person (connected, requested, incoming) or None."""
    rec, other = card.recommendation, card.person
    with st.container(border=True):
        left, right = st.columns([5, 1])
        left.markdown(f"### {plain(other.first_name)} {plain(other.last_name)}")
        left.caption(joined([other.role, other.company, other.city]))
        right.metric("Match", f"{display_score(rec.score)}")
        if card.adjacent:
            st.caption(":material/explore: From a field next to yours, to widen your list.")
        if rec.chips:
            st.markdown(" ".join(f":blue-badge[{explained(chip)}]" for chip in rec.chips))
        for reason in rec.reasons:
            st.markdown(f"- {explained(reason)}")
        if rec.potential_value:
            st.markdown(f"**Potential value:** {explained(rec.potential_value)}")
        with st.expander("Conversation starters"):
            for starter in rec.starters:
                st.markdown(f"> {explained(starter)}")
        status = [*(["You pinged them."] if rec.pinged_at else []), CONNECT_STATUS.get(state or "", "")]
        if any(status):
            st.caption(" ".join(part for part in status if part))
        columns = st.columns(len(PERSON_ACTIONS))
        for column, (action, label, icon) in zip(columns, PERSON_ACTIONS, strict=True):
            if action == "ping":
                ping_control(column, rec, on_action)
            elif action == "connect":
                connect_control(column, rec, state, on_action)
            else:
                column.button(label, key=f"{action}-{rec.id}", icon=icon, on_click=on_action, args=(rec.id, action),
                              width="stretch")
        meeting_column, category_column, more_column = st.columns([4, 2, 1])
        with meeting_column:
            meeting_popover(event_id=event_id, person_id=person_id, recipient_id=other.id, key=f"person-{rec.id}",
                            on_request=on_request)
        with category_column:
            category_snooze_menu(person_id=person_id, other=other, key=f"category-{rec.id}")
        with more_column:
            block_report_menu(viewer_id=person_id, other_id=other.id, other_name=other.full_name, context="card",
                              key=f"card-{rec.id}", event_id=event_id)
    feedback = lazy_expander("Was this a good match?", key=f"feedback-open-{rec.id}")
    if feedback is None:
        return
    with feedback:
        st.radio("Rating", [1, 2, 3, 4, 5], index=None, horizontal=True, key=f"rating-{rec.id}",
                 format_func=lambda n: ":material/star:" * n)
        st.selectbox("If not, why?", ["", *SKIP_REASONS], key=f"reason-{rec.id}")
        st.button("Send feedback", key=f"feedback-{rec.id}", on_click=on_feedback, args=(rec.id,))


def session_card(card: SessionCard, *, now: datetime, on_action: Callable[..., None]) -> None:
    """A recommended session: when and where, why, social proof, and bookmark / attended / dismiss buttons.

    "Attended" is offered only once the session has ended (by `now`).
    `on_action(session_id, action, undo=False)` records a button press."""
    item, rec = card.session, card.recommendation
    with st.container(border=True):
        when = f"{item.starts_at:%a %H:%M}–{item.ends_at:%H:%M}" if item.starts_at and item.ends_at else "time TBA"
        st.markdown(f"**{plain(item.title)}** · match **{display_score(rec.score)}**")
        st.caption(" · ".join([when, *(plain(x) for x in (item.room, item.track, item.difficulty) if x)]))
        for reason in rec.reasons:
            st.markdown(f"- {explained(reason)}")
        proof = []
        if card.connections_going:
            proof.append(f":material/group: {card.connections_going} of your connections are going")
        if card.similar_bookmarked:
            proof.append(f":material/star: {card.similar_bookmarked} attendees like you bookmarked it")
        if proof:
            st.caption(" · ".join(proof))
        if card.nearly_full:
            others = ", ".join(f"{plain(s.title)} ({s.starts_at:%H:%M})" for s in card.alternatives if s.starts_at)
            st.warning(f"Nearly full: {card.bookmarks} bookmarks for {item.capacity} seats."
                       + (f" Similar sessions with room: {others}." if others else ""))
        ended = session_has_ended(item, now)
        buttons = st.columns(3 if ended else 2)
        marked = "bookmark" in card.actions
        buttons[0].button("Bookmarked" if marked else "Bookmark", key=f"bookmark-{rec.id}",
                          icon=":material/bookmark:" if marked else ":material/bookmark_border:",
                          on_click=on_action, args=(item.id, "bookmark", marked), width="stretch")
        if ended:
            buttons[1].button("Attended", key=f"attended-{rec.id}", icon=":material/check_circle:",
                              on_click=on_action, args=(item.id, "attended"), width="stretch")
        buttons[-1].button("Not for me", key=f"dismiss-{rec.id}", icon=":material/block:", on_click=on_action,
                           args=(item.id, "dismiss"), width="stretch")


def speaker_card(card: SpeakerCard, *, event_id: int, person_id: int, on_request: RequestMeeting) -> None:
    """A recommended speaker: who they are, why, where they speak, starters and a meeting request."""
    speaker, rec = card.speaker, card.recommendation
    with st.container(border=True):
        st.markdown(f"**{plain(speaker.name)}** · match **{display_score(rec.score)}**")
        st.caption(joined([speaker.title, speaker.company]))
        for reason in rec.reasons:
            st.markdown(f"- {explained(reason)}")
        if speaker.sessions:
            st.caption("Speaks at: " + joined([s.title for s in speaker.sessions[:3]], "; "))
        with st.expander("Conversation starters"):
            for starter in rec.starters:
                st.markdown(f"> {explained(starter)}")
        meeting_popover(event_id=event_id, person_id=person_id, recipient_id=card.person_id, key=f"speaker-{rec.id}",
                        on_request=on_request, speaker_id=speaker.id)


def program_session_card(item) -> None:
    """A session of the published program (a ProgramSession), folded into an expander."""
    when = (f"{item.starts_at:%a %H:%M}–{item.ends_at:%H:%M}" if item.starts_at and item.ends_at
            else "time to be announced")
    with st.expander(" · ".join([f"**{plain(item.title)}**", when, *([plain(item.room)] if item.room else [])])):
        st.caption(joined([item.track, item.session_type, item.difficulty]))
        if item.description:
            st.markdown(plain(item.description))
        if item.tags:
            st.markdown(" ".join(f":gray-badge[{plain(t)}]" for t in item.tags))
        if item.speakers:
            st.markdown("Speakers: " + ", ".join(
                f"{plain(sp.name)}" + (f" ({joined([sp.title, sp.company], ', ')})" if sp.title or sp.company else "")
                for sp in item.speakers))


def agenda_entry_card(entry: AgendaEntry, *, on_override: Callable[[int, str | None], None]) -> None:
    """One agenda entry (a session or a meeting); sessions get keep / unpin / drop buttons."""
    with st.container(border=True):
        icon = (":material/handshake:" if entry.kind == "meeting"
                else ":material/keep:" if entry.kept else ":material/co_present:")
        st.markdown(f"{icon} **{entry.starts_at:%H:%M}–{entry.ends_at:%H:%M}** · {plain(entry.title)}")
        st.caption(joined([entry.where, entry.detail]))
        if entry.kind == "session":
            k1, k2, _ = st.columns([1, 1, 3])
            if entry.kept:
                k1.button("Unpin", key=f"unkeep-{entry.id}", icon=":material/keep_off:", on_click=on_override,
                          args=(entry.id, None))
            else:
                k1.button("Keep", key=f"keep-{entry.id}", icon=":material/keep:", on_click=on_override,
                          args=(entry.id, "keep"))
            k2.button("Drop", key=f"drop-{entry.id}", icon=":material/remove_circle:", on_click=on_override,
                      args=(entry.id, "drop"))


def clash_card(conflict: AgendaConflict, *, on_override: Callable[[int, str | None], None]) -> None:
    """A session the agenda planner left out because of a clash, with the alternatives and a keep button."""
    with st.container(border=True):
        why = plain(conflict.reason) if conflict.reason else f"clashes with {plain(conflict.blocked_by.title)}"
        st.markdown(f"**{plain(conflict.session.title)}** ({conflict.session.starts_at:%a %H:%M}) — {why}")
        if conflict.alternatives:
            st.caption(f"If you give up “{plain(conflict.blocked_by.title)}”, these fit too: "
                       + joined([a.title for a in conflict.alternatives], "; "))
        st.button("Keep this one instead", key=f"prefer-{conflict.session.session_id}", icon=":material/keep:",
                  on_click=on_override, args=(conflict.session.session_id, "keep"))


def meeting_card(view: MeetingView, *, event_id: int, person_id: int, on_answer: Callable[..., None]) -> None:
    """A meeting request or meeting with another person, with the answers open to this person.

    `on_answer(meeting_id, action, slot=None, new_slots=None)` records an answer."""
    meeting, other = view.meeting, view.other
    with st.container(border=True):
        direction = "from" if meeting.requester_id == other.id else "to"
        about = f" ({plain(other.role) or 'attendee'})" if view.other_live else ""
        st.markdown(f"**{plain(view.other_name)}**{about} · request {direction} them · **{plain(meeting.status)}**")
        if meeting.message:
            st.caption(f"“{plain(meeting.message)}”")
        if not view.other_live:
            if meeting.status in ("pending", "accepted"):
                st.button("Cancel", key=f"cancel-{meeting.id}", on_click=on_answer, args=(meeting.id, "cancel"))
        elif meeting.status == "accepted":
            st.success(f"Meeting on {meeting.starts_at:%a %d %b %H:%M}–{meeting.ends_at:%H:%M} UTC")
            st.button("Cancel meeting", key=f"cancel-{meeting.id}", on_click=on_answer, args=(meeting.id, "cancel"))
        elif view.incoming:
            slot = st.radio("Proposed slots", view.slots, key=f"slot-{meeting.id}",
                            format_func=lambda s: f"{s:%a %d %b %H:%M}", horizontal=True)
            a1, a2 = st.columns(2)
            a1.button("Accept", key=f"accept-{meeting.id}", type="primary", icon=":material/check:",
                      on_click=on_answer, args=(meeting.id, "accept", slot))
            a2.button("Decline", key=f"decline-{meeting.id}", icon=":material/close:", on_click=on_answer,
                      args=(meeting.id, "decline"))
            with st.expander("None of these work? Propose other slots"):
                with db_session() as session:
                    free = free_slots(session, event_id=event_id, person_ids=[person_id, other.id],
                                      now=clock().now(), minutes=settings().meeting_minutes,
                                      ignore_meeting=meeting.id)
                others = st.pills("Other slots (up to 3)", free, selection_mode="multi",
                                  key=f"other-{meeting.id}", format_func=lambda s: f"{s:%a %H:%M}")
                st.button("Propose these", key=f"reschedule-{meeting.id}", on_click=on_answer,
                          args=(meeting.id, "reschedule", None, list(others or [])))
        elif meeting.status == "pending":
            st.caption("Waiting for their answer. Proposed: " + ", ".join(f"{s:%a %H:%M}" for s in view.slots))
            st.button("Withdraw request", key=f"withdraw-{meeting.id}", on_click=on_answer,
                      args=(meeting.id, "cancel"))
