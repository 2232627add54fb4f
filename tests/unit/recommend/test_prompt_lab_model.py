"""A prompt variant's model is the one its Prompt Lab dry runs call, and the Lab says which model a variant uses."""
import json

from core.ai.seed_prompts import SEED_VARIANTS
from core.recommend.prompt_lab import _ranked_side, model_label
from db.models import Person, PromptVariant
from tests.fakes import FakeLLM


class RecordingLLM(FakeLLM):
    def __init__(self, reply: str):
        super().__init__(reply)
        self.asked: list[dict] = []

    def complete_json(self, **kwargs):
        self.asked.append({k: kwargs.get(k) for k in ("model", "variant_id", "temperature", "event_id")})
        return super().complete_json(**kwargs)


def person(pid: int) -> Person:
    return Person(id=pid, email=f"p{pid}@x.io", first_name=f"F{pid}", last_name=f"L{pid}", company=f"Co{pid}",
                  role="Engineer", industry="Fintech", interests=["AI"], goals=["LEARN"], skills_offered=[],
                  skills_needed=[], bio=None, problem_statement=None, years_experience=3)


def test_a_dry_run_calls_the_variants_own_model_and_temperature():
    variant = PromptVariant(id=7, name="haiku_try", version=1, template=SEED_VARIANTS["control"][2],
                            temperature=0.6, model="claude-haiku-test")
    reply = json.dumps([{"userId": "P2", "matchScore": 80, "reasons": ["r"], "conversationStarters": ["s"]}])
    llm = RecordingLLM(reply)
    ranked, strategy = _ranked_side(llm, variant, person(1), [person(2), person(3)], 2, event_id=42)
    assert strategy == "llm" and ranked == ["Engineer · Co3"]
    assert llm.asked == [{"model": "claude-haiku-test", "variant_id": 7, "temperature": 0.6, "event_id": 42}]


def test_a_variant_without_a_model_uses_the_default_and_says_so():
    assert model_label(None, "claude-sonnet-x") == "claude-sonnet-x (default)"
    assert model_label("", "claude-sonnet-x") == "claude-sonnet-x (default)"
    assert model_label("claude-haiku-test", "claude-sonnet-x") == "claude-haiku-test"
