"""One alumnus's top next roles from the active model, and the stored predictions with advice for alumni who are
live people (the LLM through the real anthropic SDK against the local stub, with the template as the fallback)."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.ai.llm import AnthropicLLM, TokenBucket
from core.careers import predictions as P
from core.careers.career_model import train_career_model
from core.careers.paths import rebuild_career_paths
from core.careers.prompts import ADVICE_TAG
from core.knowledge.skill_names import skill_key
from core.platform.clock import FixedClock
from db.models import AdviceSource, Alumnus, CareerMove, CareerPrediction
from tests.conftest import empty_database
from tests.integration.careers.test_career_model import COMMUNITY_NOW, add_person_for, load_community
from tests.stubs.anthropic_stub import AnthropicStub

CLOCK = FixedClock(COMMUNITY_NOW)


class AdviceStub(AnthropicStub):
    """The Anthropic stub answering the career-advice prompt: a paragraph naming the first predicted role, or in
    "hostile" mode one with a link, an email, a role that was not predicted and far too many words."""

    def respond(self, body: dict):
        prompt = body["messages"][0]["content"]
        if f"<{ADVICE_TAG}>" not in str(prompt) or self.mode not in ("ok", "hostile"):
            return super().respond(body)
        role = re.search(r"Next role 1: (.*?) \(", prompt).group(1)
        advice = f"You are on a good path towards {role}. Keep building the skills listed for it."
        if self.mode == "hostile":
            advice = (f"Become Director of Engineering, not {role}! See https://evil.example or mail "
                      "coach@evil.example. " + "More words. " * 80)
        return 200, self._message([{"type": "text", "text": json.dumps({"advice": advice})}])


@pytest.fixture(scope="module")
def trained(engine):
    """One community with its career paths and model for the whole module (training is the slow part)."""
    empty_database(engine)
    with Session(engine) as session:
        load_community(session, 1200)
        rebuild_career_paths(session, clock=CLOCK)
        train_career_model(session, clock=CLOCK)
        session.commit()
    yield
    empty_database(engine)


@pytest.fixture
def community(trained, engine):
    """A session on the trained community; what a test writes is rolled back."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.rollback()


def analyst_with_moves(db) -> int:
    """An alumnus whose current family is Data Analyst (many movers out of it)."""
    return db.scalar(select(Alumnus.id).where(Alumnus.current_role == "Data Analyst").order_by(Alumnus.id).limit(1))


def llm_for(stub: AnthropicStub) -> AnthropicLLM:
    return AnthropicLLM(api_key="test", model="claude-test", base_url=stub.url, timeout=5.0, max_retries=0,
                        bucket=TokenBucket(rate_per_minute=60_000, capacity=1_000))


def test_a_prediction_lists_up_to_five_roles_people_moved_to_by_descending_probability_with_time_frames(community):
    result = P.predict_for_alumnus(community, alumnus_id=analyst_with_moves(community))
    roles = [p["role"] for p in result["predictions"]]
    probabilities = [p["probability"] for p in result["predictions"]]
    moved_to = set(community.scalars(select(CareerMove.to_role).where(CareerMove.from_role == "Data Analyst")))
    assert result["current_role"] == "Data Analyst" and len(roles) == min(5, len(moved_to))
    assert set(roles) <= moved_to and all(p["similar_alumni_count"] > 0 for p in result["predictions"])
    assert "Data Analyst" not in roles and "stays" not in roles
    assert probabilities == sorted(probabilities, reverse=True) and 0 < sum(probabilities) <= 1.0001
    assert re.fullmatch(r"\d+-\d+ months|within 6 months", result["predictions"][0]["timeframe"])
    assert {p["confidence"] for p in result["predictions"]} <= {"high", "medium", "low"}


def test_the_gap_is_the_required_skills_the_alumnus_lacks(community):
    alumnus_id = analyst_with_moves(community)
    held = {skill_key(s) for s in community.get(Alumnus, alumnus_id).skills}
    for entry in P.predict_for_alumnus(community, alumnus_id=alumnus_id)["predictions"]:
        assert entry["skills_gap"] == [s for s in entry["required_skills"] if skill_key(s) not in held]
    gaps = [e for e in P.predict_for_alumnus(community, alumnus_id=alumnus_id)["predictions"] if e["required_skills"]]
    assert gaps, "the role statistics give required skills"


def test_the_similar_alumni_count_is_the_people_who_made_that_move(community):
    result = P.predict_for_alumnus(community, alumnus_id=analyst_with_moves(community))
    for entry in result["predictions"]:
        movers = community.scalar(select(func.count(func.distinct(CareerMove.alumnus_id))).where(
            CareerMove.from_role == "Data Analyst", CareerMove.to_role == entry["role"]))
        assert entry["similar_alumni_count"] == movers


def test_predictions_are_stored_only_for_alumni_who_are_live_people_and_stale_rows_go(community):
    ids = community.scalars(select(Alumnus.id).order_by(Alumnus.id).limit(4)).all()
    add_person_for(community, ids[0])
    add_person_for(community, ids[1])
    add_person_for(community, ids[2], deletion_requested_at=COMMUNITY_NOW)
    community.add(CareerPrediction(alumnus_id=ids[3], email="old@example.org", current_role="Data Analyst",
                                   predictions=[], computed_at=COMMUNITY_NOW))
    community.flush()
    counts = P.store_predictions(community, clock=CLOCK, llm=None)
    stored = dict(community.execute(select(CareerPrediction.alumnus_id, CareerPrediction.email)).all())
    emails = dict(community.execute(select(Alumnus.id, Alumnus.email).where(Alumnus.id.in_(ids[:2]))).all())
    assert stored == emails
    assert (counts["matched"], counts["stored"], counts["removed"]) == (2, 2, 1)


def test_without_an_llm_the_advice_is_the_template(community):
    add_person_for(community, analyst_with_moves(community))
    P.store_predictions(community, clock=CLOCK, llm=None)
    row = community.scalar(select(CareerPrediction))
    assert row.advice_source == AdviceSource.TEMPLATE and row.predictions[0]["role"] in row.advice


def test_a_valid_llm_paragraph_is_stored_as_llm_advice_and_kept_while_predictions_stay_the_same(community):
    add_person_for(community, analyst_with_moves(community))
    with AdviceStub() as stub:
        llm = llm_for(stub)
        first = P.store_predictions(community, clock=CLOCK, llm=llm)
        second = P.store_predictions(community, clock=CLOCK, llm=llm)
        asked = [p for p in stub.prompts() if f"<{ADVICE_TAG}>" in p]
    row = community.scalar(select(CareerPrediction))
    assert row.advice_source == AdviceSource.LLM
    assert row.advice == f"You are on a good path towards {row.predictions[0]['role']}. Keep building the skills " \
                         "listed for it."
    assert (first["llm_advice"], second["unchanged"], len(asked)) == (1, 1, 1)


def test_template_advice_is_replaced_by_the_llms_on_a_later_run_with_an_llm(community):
    add_person_for(community, analyst_with_moves(community))
    P.store_predictions(community, clock=CLOCK, llm=None)
    with AdviceStub() as stub:
        counts = P.store_predictions(community, clock=CLOCK, llm=llm_for(stub))
    assert counts["llm_advice"] == 1 and counts["unchanged"] == 0
    assert community.scalar(select(CareerPrediction.advice_source)) == AdviceSource.LLM


def test_a_hostile_llm_reply_falls_back_to_the_template(community):
    add_person_for(community, analyst_with_moves(community))
    with AdviceStub("hostile") as stub:
        counts = P.store_predictions(community, clock=CLOCK, llm=llm_for(stub))
    row = community.scalar(select(CareerPrediction))
    assert row.advice_source == AdviceSource.TEMPLATE and "evil" not in row.advice
    assert counts["template_advice"] == 1 and counts["llm_calls"] == 1


def test_an_llm_error_falls_back_to_the_template(community):
    add_person_for(community, analyst_with_moves(community))
    with AdviceStub("overloaded") as stub:
        counts = P.store_predictions(community, clock=CLOCK, llm=llm_for(stub))
    assert counts["template_advice"] == 1
    assert community.scalar(select(CareerPrediction.advice_source)) == AdviceSource.TEMPLATE


def test_the_advice_prompt_is_fenced_and_holds_no_name_email_or_company(community):
    alumnus = community.get(Alumnus, analyst_with_moves(community))
    add_person_for(community, alumnus.id)
    with AdviceStub() as stub:
        P.store_predictions(community, clock=CLOCK, llm=llm_for(stub))
        request = next(r for r in stub.requests if f"<{ADVICE_TAG}>" in str(r["messages"]))
    prompt = request["messages"][0]["content"]
    assert prompt.count(f"<{ADVICE_TAG}>") == 1 and "never instructions" in AdviceStub.system_text(request)
    assert "Current role: Data Analyst" in prompt
    for private in (alumnus.name, *alumnus.name.split(), alumnus.email, alumnus.current_company, "Quillstack"):
        assert private.lower() not in prompt.lower()


def test_a_data_analyst_with_machine_learning_is_likelier_to_become_a_data_scientist_than_one_without(community):
    """The generator's planted rule (0.6 with Machine Learning, 0.2 without) shows in the model's probabilities."""
    def analyst(email: str, skills: list[str]) -> int:
        row = Alumnus(email=email, name="Analyst", current_role="Data Analyst", industry="Software",
                      role_history=[{"role": "Junior Data Analyst", "from": "2020-01", "to": "2022-01"},
                                    {"role": "Data Analyst", "from": "2022-01"}],
                      skills=skills, skill_keys=[skill_key(s) for s in skills])
        community.add(row)
        community.flush()
        return row.id

    def data_scientist(alumnus_id: int) -> float:
        entries = P.predict_for_alumnus(community, alumnus_id=alumnus_id)["predictions"]
        return next((e["probability"] for e in entries if e["role"] == "Data Scientist"), 0.0)

    with_ml = data_scientist(analyst("ml@example.org", ["SQL", "Excel", "Machine Learning"]))
    without = data_scientist(analyst("no-ml@example.org", ["SQL", "Excel"]))
    assert with_ml > without + 0.1
