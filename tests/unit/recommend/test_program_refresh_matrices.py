"""The event-wide scorer of the program refresh (ProgramScorer) against seed 001's per-pair formulas."""
import numpy as np

from core.recommend.program_scoring import (
    SESSION_THRESHOLD,
    SPEAKER_THRESHOLD,
    AttendeeTerms,
    ProgramScorer,
    SessionTerms,
    SpeakerTerms,
    TermSpace,
    TextRelevance,
    score_session,
    score_speaker,
)


def reference(space: TermSpace, relevance: TextRelevance, attendees, items, experts, excluded, limit=40):
    """The per-attendee loop of the refresh, with the scalar formulas."""
    lists = []
    for person, skip in zip(attendees, excluded, strict=True):
        similarity = space.similarity_from([t for t in (*person.interests, person.role, *person.skills_needed,
                                                        "mentorship") if t])
        strength, why = relevance.of(person.interests)
        sessions = sorted((s for k, item in enumerate(items) if item.session_id not in skip
                           if (s := score_session(person, item, similarity, strength[k], why[k])).score
                           > SESSION_THRESHOLD), key=lambda s: (-s.score, s.target_id))[:limit]
        speakers = sorted((s for e in experts if (s := score_speaker(person, e, similarity)).score
                           > SPEAKER_THRESHOLD), key=lambda s: (-s.score, s.target_id))[:10]
        lists.append(([(s.target_id, s.match_score, s.reasons) for s in sessions],
                      [(s.target_id, s.match_score, s.reasons, s.shared) for s in speakers]))
    return lists


def matrices(space, relevance, attendees, items, experts, excluded, limit=40):
    return [([(s.target_id, s.match_score, s.reasons) for s in sessions],
             [(s.target_id, s.match_score, s.reasons, s.shared) for s in speakers])
            for sessions, speakers in ProgramScorer(space, relevance, items, experts).rank(
                attendees, excluded, limit, 10)]


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_matrices_pair_terms_greedily_as_soft_matches_does_not_as_a_maximum_matching():
    # a1~b1 0.9, a1~b2 0.6, a2~b1 0.6: the greedy takes a1-b1 and stops at one pair, where two were possible
    vectors = {"a1": unit(1, 0, 0), "a2": unit(0.3, 0.757, 0.58), "b1": unit(0.9, 0.4359, 0),
               "b2": unit(0.6, -0.8, 0), "mentorship": unit(0, 0, 1), "text": unit(0, -1, 0)}
    space = TermSpace(vectors, ["a1", "a2", "mentorship"], ["b1", "b2"])
    relevance = TextRelevance(vectors, ["a1", "a2"], np.stack([vectors["text"]]))
    person = AttendeeTerms(["a1", "a2"], ["LEARN"], "", [], None)
    item = SessionTerms(1, ["b1", "b2"], [], "learn", [], None)
    expert = SpeakerTerms(2, ["b1", "b2"], [], "")
    got = matrices(space, relevance, [person], [item], [expert], [set()])
    assert got == reference(space, relevance, [person], [item], [expert], [set()])
    assert got[0][0][0][2][0] == "Shared interests: a1 ≈ b1" and got[0][1][0][1] == 40


def test_equal_scores_keep_the_program_order_when_only_the_best_of_many_sessions_are_kept():
    vectors = {"data": unit(1, 0), "mentorship": unit(0, 1), "text": unit(0, 1)}
    space = TermSpace(vectors, ["data", "mentorship"], ["data"])
    relevance = TextRelevance(vectors, ["data"], np.stack([vectors["text"]] * 200))
    items = [SessionTerms(k, ["data"], [], "", [], None) for k in range(1000, 1200)]
    person = AttendeeTerms(["data"], [], "", [], None)
    got = matrices(space, relevance, [person], items, [], [{1003}])
    assert [target for target, _, _ in got[0][0]] == [k for k in range(1000, 1041) if k != 1003]


def test_on_random_terms_the_matrices_rank_and_explain_exactly_as_the_formulas_do():
    rng = np.random.default_rng(22)
    words = [f"t{k}" for k in range(40)] + ["T1", "t1 ", "mentorship"]
    base = rng.standard_normal((8, 16))
    vectors = {w: unit(*(base[rng.integers(8)] + 0.6 * rng.standard_normal(16))) for w in words}
    texts = np.stack([unit(*rng.standard_normal(16)) for _ in range(30)])

    def some(low: int, high: int) -> list[str]:
        return list(rng.choice(words[:-1], rng.integers(low, high + 1), replace=False))

    levels = [None, "beginner", "intermediate", "advanced"]
    goals = ["LEARN", "NETWORK", "HIRE", "GET_HIRED", "MENTOR", "GET_MENTORED", "INVEST"]
    attendees = [AttendeeTerms(some(0, 6), list(rng.choice(goals, rng.integers(0, 4))),
                               str(rng.choice(["", *words[:10]])), some(0, 4), levels[rng.integers(4)],
                               str(rng.choice(["", "Fintech", "fintech", "Health"])))
                 for _ in range(120)]
    items = [SessionTerms(100 + k, some(0, 4), some(0, 2), str(rng.choice(["", "learn and meet", "hire talent"])),
                          some(0, 2), levels[rng.integers(4)]) for k in range(30)]
    experts = [SpeakerTerms(500 + k, some(0, 4), list(rng.choice(["", "mentorship", "t3"], rng.integers(0, 2))),
                            str(rng.choice(["CTO", "Data Scientist", ""])), str(rng.choice(["", "Fintech"])))
               for k in range(12)]
    left = [t for a in attendees for t in (*a.interests, a.role, *a.skills_needed) if t] + ["mentorship"]
    right = [t for i in items for t in (*i.topics, *i.outcomes, *i.audience)]
    right += [t for e in experts for t in (*e.expertise, *e.offerings) if t]
    space = TermSpace(vectors, left, right)
    relevance = TextRelevance(vectors, [t for a in attendees for t in a.interests], texts)
    excluded = [set(rng.choice([i.session_id for i in items], rng.integers(0, 3))) for _ in attendees]
    got = matrices(space, relevance, attendees, items, experts, excluded, limit=12)
    assert got == reference(space, relevance, attendees, items, experts, excluded, limit=12)
    assert sum(len(sessions) for sessions, _ in got) > 300 and sum(len(speakers) for _, speakers in got) > 100
