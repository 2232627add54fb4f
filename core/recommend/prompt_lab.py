"""Prompt Lab services: the exact anonymised prompt a variant would send, and dry runs against control."""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.ai.call_log import save_calls
from core.ai.embeddings import Embedder
from core.ai.llm import LLMClient, LLMError
from core.platform.clock import Clock
from core.recommend.people import LLM_POOL, event_people, prepare_event
from core.recommend.rerank import SYSTEM, RerankPrompt, build_rerank_prompt, rerank_with_llm
from db.models import Event, PromptVariant

PREVIEW_CANDIDATES = 10


@dataclass
class PromptPreview:
    system: str
    prompt: RerankPrompt
    model: str | None  # the variant's own model; None: the configured default


def model_label(model: str | None, default_model: str) -> str:
    """Which model a variant's calls use, as the Prompt Lab shows it: its own, or the configured default."""
    return model if model else f"{default_model} (default)"


def _pools(session: Session, event_id: int, embedder: Embedder, clock: Clock, person_ids: list[int], pool: int):
    event = session.get(Event, event_id)
    people = event_people(session, event_id)
    prepared = prepare_event(session, event, people, embedder, clock.now())
    position = {p.id: i for i, p in enumerate(people)}
    viewers = [position[i] for i in person_ids if i in position]
    found = prepared.matcher.recommend(prepared.controls, k=pool, diversity=0.0, viewers=viewers)
    return prepared.people, found


def preview_prompt(session: Session, *, event_id: int, person_id: int, variant_id: int, embedder: Embedder,
                   clock: Clock, candidates: int = PREVIEW_CANDIDATES, k: int = 10) -> PromptPreview:
    """The system text, the anonymised prompt and the model this variant would use for this attendee (first
    candidates)."""
    variant = session.get(PromptVariant, variant_id)
    people, found = _pools(session, event_id, embedder, clock, [person_id], candidates)
    viewer = next(i for i, p in enumerate(people) if p.id == person_id)
    pool = [people[m.candidate] for m in found.get(viewer, [])]
    return PromptPreview(SYSTEM, build_rerank_prompt(variant.template, people[viewer], pool, k), variant.model)


@dataclass
class DryRunRow:
    attendee: str  # an opaque label: dry runs are shown to staff, not tied to names
    control: list[str]
    variant: list[str]
    control_strategy: str
    variant_strategy: str


def _ranked_side(llm: LLMClient | None, variant: PromptVariant, viewer, candidates: list, top: int,
                 event_id: int) -> tuple[list[str], str]:
    """One side of a dry run: the variant's LLM ranking of the candidates (with the variant's temperature and
    model), or the algorithmic order."""
    algorithmic = [f"{p.role} · {p.company}" for p in candidates[:top]]
    if llm is None or not candidates:
        return algorithmic, "algorithmic"
    prompt = build_rerank_prompt(variant.template, viewer, candidates, top)
    try:
        picks = rerank_with_llm(llm, prompt, top, temperature=variant.temperature, variant_id=variant.id,
                                model=variant.model, event_id=event_id)
    except LLMError:
        return algorithmic, "algorithmic (LLM failed)"
    by_id = {p.id: p for p in candidates}
    return [f"{by_id[p.person_id].role} · {by_id[p.person_id].company}" for p in picks], "llm"


def dry_run(session: Session, *, event_id: int, variant_id: int, control_id: int, embedder: Embedder,
            clock: Clock, llm: LLMClient | None, sample: int = 5, top: int = 3, seed: int = 0) -> list[DryRunRow]:
    """Rank a random sample of attendees with control and with the variant, side by side; nothing is stored
    except the LLM call log. Without an LLM both sides show the algorithmic ranking."""
    variant, control = session.get(PromptVariant, variant_id), session.get(PromptVariant, control_id)
    everyone = event_people(session, event_id)
    chosen = random.Random(seed).sample([p.id for p in everyone], min(sample, len(everyone)))
    people, found = _pools(session, event_id, embedder, clock, chosen, LLM_POOL)
    rows = []
    for label, (viewer, pool) in enumerate(sorted(found.items()), start=1):
        candidates = [people[m.candidate] for m in pool]
        control_list, control_strategy = _ranked_side(llm, control, people[viewer], candidates, top, event_id)
        variant_list, variant_strategy = _ranked_side(llm, variant, people[viewer], candidates, top, event_id)
        rows.append(DryRunRow(f"Attendee {label}", control_list, variant_list, control_strategy, variant_strategy))
    save_calls(session, llm)
    session.flush()
    return rows
