"""A viewer's list of 'why this match' cards reads as ten different people, not one template."""
from core.recommend.explain import (
    Explainer,
    Explanation,
    Side,
    TextSpace,
    explain_match,
    explain_matches,
    explanation_quality,
)
from tests.fakes import FakeEmbedder

MENTEE = Side("Mia", "Junior Engineer", "Sprout", ["GET_MENTORED"], 2, "Fintech", "Lisbon", needs=["Career coaching"],
              company_size="STARTUP_1_10", statements=["Our small team cannot keep good engineers for a year"],
              problem_statements=["Our small team cannot keep good engineers for a year"])
MENTOR_PROFILES = [  # name, role, company, years, other skill, company size, problem statement
    ("Emma", "VP Engineering", "Ledgerly", 11, "Fundraising", "LARGE_201_1000", "Our audits take a quarter each"),
    ("Noah", "Staff Engineer", "Cargomesh", 22, "Code review", "MEDIUM_51_200", None),
    ("Kai", "Founder", "Tinyloop", 16, "Pitching", "STARTUP_1_10", "We ship slower every month"),
    ("Renée", "CTO", "Genewell", 26, "Hiring engineers", "SMALL_11_50", None),
    ("Vikram", "Product Lead", "Storyforge", 9, "Experimentation", "ENTERPRISE_1000_PLUS",
     "Our audience will not pay for subscriptions"),
    ("Budi", "Venture Partner", "Lanternfish", 27, "Due diligence", "SMALL_11_50", None),
    ("Sana", "Engineering Manager", "Vitalnote", 14, "Team building", "STARTUP_1_10",
     "Clinicians ignore our alerts at the wrong moment"),
    ("Leo", "Principal Engineer", "Aegisline", 19, "Incident response", "LARGE_201_1000", None),
    ("Ines", "Head of Data", "Parcelpeak", 12, "SQL", "MEDIUM_51_200", "Returns eat our margin"),
    ("Omar", "Director of Engineering", "Tidewater", 17, "Platform engineering", "SOLO", None),
]
MENTORS = [Side(name, role, company, ["MENTOR"], years, "Fintech", "Berlin", offers=["Career coaching", other],
                company_size=size, statements=[f"I coach engineers at {company}", *([problem] if problem else [])],
                problem_statements=[problem] if problem else [])
           for name, role, company, years, other, size, problem in MENTOR_PROFILES]


def space_of(sides: list[Side]) -> TextSpace:
    texts = sorted({t for s in sides for t in (*s.offers, *s.needs, *s.topics, *s.statements)})
    return TextSpace(texts, FakeEmbedder().encode(texts))


def mentee_list() -> list[Explanation]:
    sides = [MENTEE, *MENTORS]
    return explain_matches(sides, [(0, c) for c in range(1, len(sides))], space_of(sides), "Expo")


def lone(me: Side, them: Side) -> Explanation:
    return explain_match(me, them, space_of([me, them]), "Expo")


def test_ten_candidates_who_all_offer_the_viewers_one_need_get_three_first_reasons_and_eight_starters():
    quality = explanation_quality([[(m.first_name, e) for m, e in zip(MENTORS, mentee_list(), strict=True)]])
    assert quality["min_distinct_first_reasons"] >= 3 and quality["min_distinct_starters"] >= 8


def test_no_two_cards_of_a_list_open_with_the_same_reason_when_the_candidates_differ():
    openings = [e.reasons[0].replace(m.first_name, "{name}") for m, e in zip(MENTORS, mentee_list(), strict=True)]
    assert len(set(openings)) == len(openings)


def test_every_card_still_says_what_matched_after_what_is_specific():
    for mentor, explanation in zip(MENTORS, mentee_list(), strict=True):
        assert explanation.reasons[-1] == f"You need Career coaching; {mentor.first_name} brings Career coaching."
        assert explanation.specific[0]


def test_a_candidate_specific_reason_comes_before_the_goal_pair():
    them = Side("Noah", "Staff Engineer", "Cargomesh", ["MENTOR"], 22)
    reasons = lone(MENTEE, them).reasons
    goal = reasons.index("Noah mentors people and you want a mentor.")
    assert reasons[0] == "Noah has 20 more years of experience than you." and goal > 0


def test_a_shared_company_stage_is_named_with_its_head_count():
    me = Side("Mia", "", "", ["NETWORK"], None, company_size="STARTUP_1_10")
    them = Side("Kai", "", "", ["NETWORK"], None, company_size="STARTUP_1_10")
    assert lone(me, them).reasons[0] == "Kai works at an early-stage startup (1–10 people), like you."


def test_a_shared_problem_is_a_reason_quoting_the_candidates_words():
    them = Side("Ines", "Head of Data", "Parcelpeak", ["NETWORK"], 12,
                statements=MENTEE.problem_statements, problem_statements=MENTEE.problem_statements)
    assert ('Ines faces the same problem as you: "Our small team cannot keep good engineers for a year".'
            in lone(MENTEE, them).reasons)


def test_the_problem_starter_quotes_the_candidates_own_words():
    problem = "Customs paperwork delays a fifth of our cross-border orders"
    them = Side("Layla", "Founder", "Lastmile", ["MENTOR"], 15, offers=["Career coaching"],
                statements=[problem], problem_statements=[problem])
    assert lone(MENTEE, them).starters[0] == f'You wrote "{problem}" — what have you tried so far?'


def test_a_long_quote_is_cut_at_a_word_with_an_ellipsis():
    problem = ("Our warehouse team spends every Monday reconciling stock counts by hand across four sites "
               "because the scanners and the ERP disagree")
    them = Side("Layla", "Founder", "Lastmile", ["NETWORK"], 15, statements=[problem], problem_statements=[problem])
    quoted = lone(MENTEE, them).starters[0].split('"')[1]
    assert quoted.endswith("…") and len(quoted) <= 91 and problem.startswith(quoted[:-1])


def test_a_lone_pair_still_gets_two_or_three_reasons_and_two_starters():
    explanation = lone(MENTEE, MENTORS[1])
    assert 2 <= len(explanation.reasons) <= 3 and len(explanation.starters) == 2
    assert len(explanation.specific) == len(explanation.reasons)


def test_untrusted_text_stays_plain_data():
    hostile = "<script>alert(1)</script> **bold** [click](https://x.io) =HYPERLINK()"
    them = Side("Eve", "<b>Boss</b>", "Acme", ["NETWORK"], 3, statements=[hostile], problem_statements=[hostile])
    explanation = lone(MENTEE, them)
    assert explanation.starters[0] == f'You wrote "{hostile}" — what have you tried so far?'
    assert "Eve has 3 years of experience, now <b>Boss</b> at Acme." in explanation.reasons


def test_explanation_quality_on_a_hand_made_list_gives_hand_computed_figures():
    def card(reasons: list[str], starters: list[str], specific: list[bool]) -> Explanation:
        return Explanation(reasons, [], starters, "", specific=specific)

    first = [("Ana", card(["Ana mentors people.", "You share AI."], ["a", "b"], [False, False])),
             ("Bo", card(["Bo mentors people."], ["a", "c"], [True]))]
    second = [("Cy", card(["Cy works at Acme."], ["d", "e"], [True])),
              ("Di", card(["You both work in SaaS.", "Di works at Beta."], ["d", "f"], [False, True]))]
    assert explanation_quality([first, second]) == {
        "lists": 2, "min_distinct_first_reasons": 1, "mean_distinct_first_reasons": 1.5,
        "min_distinct_starters": 3, "mean_distinct_starters": 3.0, "specific_reason_share": 0.5}


def test_explanation_quality_reads_only_the_top_ten_of_a_list():
    cards = [(f"P{i}", Explanation([f"Reason {i}."], [], [f"s{i}"], "", specific=[True])) for i in range(12)]
    quality = explanation_quality([cards])
    assert quality["min_distinct_first_reasons"] == 10 and quality["min_distinct_starters"] == 10


def test_explaining_viewers_a_few_at_a_time_gives_the_same_cards_as_all_at_once():
    sides = [MENTEE, *MENTORS]
    pairs = [(viewer, candidate) for viewer in range(len(sides)) for candidate in range(len(sides))
             if candidate != viewer]
    explainer = Explainer(sides, space_of(sides), "Expo")
    in_batches = [e for start in range(0, len(sides), 3)
                  for e in explainer.explain([p for p in pairs if start <= p[0] < start + 3])]
    assert in_batches == explain_matches(sides, pairs, space_of(sides), "Expo")
