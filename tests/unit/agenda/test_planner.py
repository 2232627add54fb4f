"""The agenda builder against hand-made cases, greedy plans and brute force, and its iCalendar export."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.agenda.planner import AgendaCandidate, AgendaIcsItem, agenda_ics, build_agenda, clashes

DAY = datetime(2025, 6, 3, tzinfo=UTC)
STAMP = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def at(clock: str) -> datetime:
    hours, minutes = clock.split(":")
    return DAY + timedelta(hours=int(hours), minutes=int(minutes))


def slot(session_id: int, start: str, end: str, score: float, title: str = "", track: str | None = None
         ) -> AgendaCandidate:
    return AgendaCandidate(session_id, at(start), at(end), score, title or f"Session {session_id}", track)


def ids(candidates: list[AgendaCandidate]) -> set[int]:
    return {c.session_id for c in candidates}


def greedy_by_score(candidates: list[AgendaCandidate]) -> set[int]:
    picked: list[AgendaCandidate] = []
    for c in sorted(candidates, key=lambda c: (-c.score, c.session_id)):
        if not any(clashes(c, p) for p in picked):
            picked.append(c)
    return ids(picked)


def greedy_by_earliest_end(candidates: list[AgendaCandidate]) -> set[int]:
    picked: list[AgendaCandidate] = []
    for c in sorted(candidates, key=lambda c: (c.ends_at, c.session_id)):
        if not any(clashes(c, p) for p in picked):
            picked.append(c)
    return ids(picked)


def brute_force_best(candidates: list[AgendaCandidate], min_gap: timedelta, required: int = 0) -> float:
    """The best total over every clash-free subset containing the `required` bit mask."""
    n = len(candidates)
    clash_mask = [sum(1 << j for j in range(n) if j != i and clashes(candidates[i], candidates[j], min_gap))
                  for i in range(n)]
    valid = [True] * (1 << n)
    total = [0.0] * (1 << n)
    best = float("-inf")
    for mask in range(1, 1 << n):
        low = (mask & -mask).bit_length() - 1
        rest = mask & (mask - 1)
        valid[mask] = valid[rest] and not clash_mask[low] & rest
        total[mask] = total[rest] + candidates[low].score
        if valid[mask] and mask & required == required:
            best = max(best, total[mask])
    return max(best, 0.0) if required == 0 else best


def random_instance(rng: random.Random, n: int) -> list[AgendaCandidate]:
    """Sessions on a 15-minute grid, so touching ends and equal scores are common."""
    sessions = []
    for i in range(n):
        start = rng.randrange(0, 32)
        length = rng.randint(1, 8)
        starts_at = DAY + timedelta(hours=9, minutes=15 * start)
        sessions.append(AgendaCandidate(i + 1, starts_at, starts_at + timedelta(minutes=15 * length),
                                        rng.choice([rng.randint(-2, 10), round(rng.uniform(0.1, 10), 2)])))
    return sessions


def assert_clash_free(plan: list[AgendaCandidate], min_gap: timedelta = timedelta(0)) -> None:
    for i, a in enumerate(plan):
        for b in plan[i + 1:]:
            assert not clashes(a, b, min_gap), (a, b)


# ----------------------------------------------------------------------------------------------- optimality

def test_the_plan_beats_both_greedy_plans_when_a_long_high_value_session_overlaps_two_short_ones():
    candidates = [slot(1, "09:00", "12:00", 10), slot(2, "09:00", "10:00", 1), slot(3, "09:30", "10:30", 7),
                  slot(4, "10:30", "12:00", 7)]
    plan = build_agenda(candidates)
    assert greedy_by_score(candidates) == {1}  # 10
    assert greedy_by_earliest_end(candidates) == {2, 4}  # 8
    assert ids(plan.chosen) == {3, 4}
    assert plan.total_score == pytest.approx(14)


def test_the_plan_beats_both_greedy_plans_when_the_top_session_straddles_a_touching_pair():
    candidates = [slot(1, "08:30", "09:15", 1), slot(2, "09:00", "10:00", 5), slot(3, "09:30", "11:00", 6),
                  slot(4, "10:00", "11:30", 5)]
    plan = build_agenda(candidates)
    assert greedy_by_score(candidates) == {1, 3}  # 7
    assert greedy_by_earliest_end(candidates) == {1, 3}  # 7
    assert ids(plan.chosen) == {2, 4}
    assert plan.total_score == pytest.approx(10)


def test_the_plan_total_equals_the_brute_force_optimum_on_random_small_programs():
    rng = random.Random(2025)
    for _ in range(200):
        candidates = random_instance(rng, rng.randint(0, 10))
        min_gap = timedelta(minutes=rng.choice([0, 0, 15, 30]))
        plan = build_agenda(candidates, min_gap=min_gap)
        assert plan.total_score == pytest.approx(brute_force_best(candidates, min_gap))
        assert plan.total_score == pytest.approx(sum(c.score for c in plan.chosen))
        assert_clash_free(plan.chosen, min_gap)


def test_the_plan_is_the_best_one_containing_compatible_kept_sessions_on_random_small_programs():
    rng = random.Random(7)
    for _ in range(200):
        candidates = random_instance(rng, rng.randint(1, 10))
        kept = [c for c in rng.sample(candidates, rng.randint(1, min(3, len(candidates)))) if c.score > 0]
        if any(clashes(a, b) for a in kept for b in kept if a is not b):
            continue
        required = sum(1 << candidates.index(c) for c in kept)
        plan = build_agenda(candidates, keep=ids(kept))
        assert ids(kept) <= ids(plan.chosen)
        assert plan.total_score == pytest.approx(brute_force_best(candidates, timedelta(0), required))


def test_sessions_that_touch_end_to_start_are_both_chosen():
    plan = build_agenda([slot(1, "09:00", "10:00", 3), slot(2, "10:00", "11:00", 3)])
    assert ids(plan.chosen) == {1, 2}


def test_a_minimum_gap_keeps_apart_sessions_closer_than_it():
    candidates = [slot(1, "09:00", "10:00", 3), slot(2, "10:05", "11:00", 2)]
    plan = build_agenda(candidates, min_gap=timedelta(minutes=10))
    assert ids(plan.chosen) == {1}


def test_a_minimum_gap_allows_sessions_exactly_that_far_apart():
    candidates = [slot(1, "09:00", "10:00", 3), slot(2, "10:10", "11:00", 2)]
    plan = build_agenda(candidates, min_gap=timedelta(minutes=10))
    assert ids(plan.chosen) == {1, 2}


def test_a_negative_minimum_gap_is_refused():
    with pytest.raises(ValueError):
        build_agenda([slot(1, "09:00", "10:00", 3)], min_gap=timedelta(minutes=-5))


def test_sessions_with_no_positive_score_or_no_valid_times_are_ignored():
    candidates = [slot(1, "09:00", "10:00", 0), slot(2, "10:00", "11:00", -1), slot(3, "12:00", "12:00", 5),
                  slot(4, "14:00", "13:00", 5), AgendaCandidate(5, None, at("16:00"), 5), slot(6, "15:00", "16:00", 1)]
    plan = build_agenda(candidates)
    assert ids(plan.chosen) == {6}
    assert plan.total_score == pytest.approx(1)


def test_the_chosen_sessions_come_in_start_order():
    plan = build_agenda([slot(1, "15:00", "16:00", 1), slot(2, "09:00", "10:00", 1), slot(3, "12:00", "13:00", 1)])
    assert [c.session_id for c in plan.chosen] == [2, 3, 1]


def test_the_same_sessions_in_any_order_give_the_same_plan_even_with_ties():
    candidates = [slot(i, "09:00", "10:00", 5) for i in range(1, 6)] + [slot(9, "09:30", "10:30", 5)]
    plans = [build_agenda(random.Random(seed).sample(candidates, len(candidates))) for seed in range(10)]
    assert all(p == plans[0] for p in plans)


def test_an_empty_program_gives_an_empty_plan():
    assert build_agenda([]) == build_agenda([], keep={1})
    assert build_agenda([]).chosen == [] and build_agenda([]).total_score == 0


def test_duplicate_session_ids_are_refused():
    with pytest.raises(ValueError):
        build_agenda([slot(1, "09:00", "10:00", 3), slot(1, "11:00", "12:00", 3)])


# ----------------------------------------------------------------------------------------------- keep and drop

def test_a_kept_session_is_in_the_plan_even_when_it_scores_low():
    plan = build_agenda([slot(1, "09:00", "10:00", 9), slot(2, "09:30", "10:30", 0.5)], keep={2})
    assert ids(plan.chosen) == {2}


def test_a_kept_session_is_in_the_plan_even_with_a_zero_score():
    plan = build_agenda([slot(1, "09:00", "10:00", 9), slot(2, "11:00", "12:00", 0)], keep={2})
    assert ids(plan.chosen) == {1, 2}


def test_the_time_around_kept_sessions_is_filled_optimally():
    candidates = [slot(1, "10:00", "11:00", 1), slot(2, "09:00", "12:00", 20), slot(3, "09:00", "10:00", 4),
                  slot(4, "11:00", "12:00", 4), slot(5, "09:00", "09:30", 3), slot(6, "09:30", "10:00", 3)]
    plan = build_agenda(candidates, keep={1})
    assert ids(plan.chosen) == {1, 4, 5, 6}


def test_a_dropped_session_is_never_scheduled():
    plan = build_agenda([slot(1, "09:00", "10:00", 9), slot(2, "09:30", "10:30", 1)], drop={1})
    assert ids(plan.chosen) == {2}


def test_a_session_both_kept_and_dropped_is_dropped():
    plan = build_agenda([slot(1, "09:00", "10:00", 9)], keep={1}, drop={1})
    assert plan.chosen == []


def test_of_two_clashing_kept_sessions_the_higher_scoring_stays_and_the_other_is_a_conflict():
    low, high = slot(1, "09:00", "10:00", 2, "Intro to Rust"), slot(2, "09:30", "10:30", 6, "Keynote")
    plan = build_agenda([low, high, slot(3, "11:00", "12:00", 1)], keep={1, 2})
    assert ids(plan.chosen) == {2, 3}
    conflict = plan.conflicts[0]
    assert (conflict.session, conflict.blocked_by) == (low, high)
    assert "kept" in conflict.reason and "'Keynote'" in conflict.reason


# ----------------------------------------------------------------------------------------------- conflicts

CONFLICTED = [slot(1, "09:00", "11:00", 10, "Keynote"), slot(2, "09:30", "10:30", 8, "Deep learning"),
              slot(3, "09:00", "10:00", 3, "Coffee chat"), slot(4, "10:00", "11:00", 2, "Poster walk"),
              slot(5, "11:00", "12:00", 5, "Panel"), slot(6, "10:45", "12:00", 4, "Late workshop"),
              slot(7, "09:15", "09:45", 1, "Lightning talks")]


def test_a_left_out_high_scoring_session_is_reported_with_the_session_that_blocks_it():
    plan = build_agenda(CONFLICTED)
    assert ids(plan.chosen) == {1, 5}
    conflict = plan.conflicts[0]
    assert (conflict.session.session_id, conflict.blocked_by.session_id) == (2, 1)
    assert conflict.reason == "overlaps 'Keynote'"


def test_alternatives_fit_the_plan_once_the_blocking_session_is_given_up():
    plan = build_agenda(CONFLICTED)
    conflict = plan.conflicts[0]
    rest = [c for c in plan.chosen if c != conflict.blocked_by]
    assert [a.session_id for a in conflict.alternatives] == [3, 4, 7]
    assert all(not clashes(a, c) for a in conflict.alternatives for c in rest)


def test_conflicts_skip_sessions_scoring_under_half_the_median_chosen_score():
    plan = build_agenda(CONFLICTED)
    # Chosen scores 10 and 5: median 7.5, so only sessions scoring at least 3.75 are worth reporting.
    assert [c.session.session_id for c in plan.conflicts] == [2, 6]


def test_conflicts_are_at_most_ten_highest_score_first():
    candidates = [slot(1, "09:00", "18:00", 100)] + [slot(i, "09:00", "10:00", 50 + i) for i in range(2, 20)]
    plan = build_agenda(candidates)
    assert [c.session.session_id for c in plan.conflicts] == list(range(19, 9, -1))


def test_a_session_kept_out_only_by_the_minimum_gap_says_so():
    plan = build_agenda([slot(1, "09:00", "10:00", 5), slot(2, "10:05", "11:00", 4)], min_gap=timedelta(minutes=15))
    assert plan.conflicts[0].reason == "too little time to get between it and 'Session 1'"


# ----------------------------------------------------------------------------------------------- iCalendar

def item(i: int, **changes) -> AgendaIcsItem:
    fields = {"kind": "session", "id": i, "title": f"Talk {i}", "starts_at": at("09:00"), "ends_at": at("10:00"),
              "location": "Room A", "description": ""}
    return AgendaIcsItem(**{**fields, **changes})


def unfolded(text: str) -> list[str]:
    """Content lines with RFC 5545 folding undone."""
    lines: list[str] = []
    for raw in text.split("\r\n")[:-1]:
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def properties(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split(":", 1)) for line in unfolded(text)]


def events(text: str) -> list[dict[str, str]]:
    found, current = [], None
    for name, value in properties(text):
        if (name, value) == ("BEGIN", "VEVENT"):
            current = {}
        elif (name, value) == ("END", "VEVENT"):
            found.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return found


def test_the_calendar_has_a_version_a_product_id_and_one_event_per_item():
    text = agenda_ics([item(1), item(2, kind="meeting")], calendar_name="My agenda", generated_at=STAMP)
    props = properties(text)
    assert props[0] == ("BEGIN", "VCALENDAR") and props[-1] == ("END", "VCALENDAR")
    assert ("VERSION", "2.0") in props and any(name == "PRODID" for name, _ in props)
    assert [e["UID"] for e in events(text)] == ["session-1@globalconnect", "meeting-2@globalconnect"]


def test_every_event_has_its_stamp_times_summary_and_location():
    (event,) = events(agenda_ics([item(1)], calendar_name="x", generated_at=STAMP))
    assert event == {"UID": "session-1@globalconnect", "DTSTAMP": "20250601T120000Z", "DTSTART": "20250603T090000Z",
                     "DTEND": "20250603T100000Z", "SUMMARY": "Talk 1", "LOCATION": "Room A"}


def test_every_line_ends_with_crlf():
    text = agenda_ics([item(1, description="one\ntwo")], calendar_name="x", generated_at=STAMP)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")


def test_commas_semicolons_backslashes_and_newlines_are_escaped_and_read_back():
    title = "Rust, Go; and C\\C++"
    description = "Line one\nLine two\r\nLine three"
    (event,) = events(agenda_ics([item(1, title=title, description=description)], calendar_name="x",
                                 generated_at=STAMP))
    assert event["SUMMARY"] == "Rust\\, Go\\; and C\\\\C++"
    assert event["DESCRIPTION"] == "Line one\\nLine two\\nLine three"
    assert unescape(event["SUMMARY"]) == title


def test_long_lines_are_folded_to_75_octets_without_splitting_characters():
    description = "Große Überraschung — café ☕ " * 20
    text = agenda_ics([item(1, description=description)], calendar_name="x", generated_at=STAMP)
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    (event,) = events(text)
    assert unescape(event["DESCRIPTION"]) == description


def test_times_in_any_zone_are_written_in_utc():
    berlin = datetime(2025, 6, 3, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    (event,) = events(agenda_ics([item(1, starts_at=berlin, ends_at=berlin + timedelta(minutes=45))],
                                 calendar_name="x", generated_at=STAMP))
    assert (event["DTSTART"], event["DTEND"]) == ("20250603T070000Z", "20250603T074500Z")


def test_an_item_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        agenda_ics([item(1, ends_at=at("08:00"))], calendar_name="x", generated_at=STAMP)
