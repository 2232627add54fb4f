"""Prompt variants as data: the seeded A/B variants, rendering, immutable versions, traffic and assignment."""
from __future__ import annotations

import difflib
import hashlib
import re
import string
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.ai.seed_prompts import SEED_VARIANTS
from core.platform.audit import record_audit
from core.platform.clock import Clock
from db.models import ExperimentAssignment, PromptVariant, Recommendation, VariantStatus

EXPERIMENT = "recommendation-prompt"
TEMPLATE_VARIABLES = ("attendee", "candidates", "k")
STATUSES = tuple(VariantStatus)


class VariantError(ValueError):
    """A variant change that cannot be applied; the message says what to fix."""


def _placeholders(template: str) -> list[tuple[str, str, str | None, str | None]]:
    """Each (literal text before, name, format spec, conversion) of the template; a trailing literal has no name."""
    try:
        return list(string.Formatter().parse(template))
    except ValueError as exc:
        raise VariantError(f"The template is not valid: {exc}. Write literal braces as {{{{ and }}}}.") from exc


def _check_placeholder(name: str, spec: str | None, conversion: str | None) -> None:
    """A placeholder is a plain name: no format spec ({k:>9}), conversion ({attendee!r}), attribute or index
    ({attendee.__class__}, {attendee[0]}) — they could blow up a prompt's size or reach into Python objects."""
    if not name:
        raise VariantError("The template has an empty placeholder {}; name it, e.g. {attendee}.")
    base = re.split(r"[.\[]", name, maxsplit=1)[0]
    plain = "{" + base + "}" if base.isidentifier() else "{attendee}"
    if conversion:
        written = "{" + name + "!" + conversion + (":" + spec if spec else "") + "}"
        raise VariantError(f"The placeholder {written} uses a conversion (!{conversion}); "
                           f"write just {plain}.")
    if spec:
        shown = spec if len(spec) <= 20 else spec[:20] + "…"
        raise VariantError(f"The placeholder {{{name}:{shown}}} has a format spec (:{shown}); write just {plain}.")
    if not name.isidentifier():
        if base.isidentifier():
            raise VariantError(f"The placeholder {{{name}}} reads an attribute or item of {plain}; write just "
                               f"{plain}.")
        raise VariantError(f"The placeholder {{{name}}} is not a plain name; use a plain name such as {{attendee}}.")


def template_variables(template: str) -> list[str]:
    """The named placeholders a template uses, in order of first use; anything but a plain {name} is refused."""
    fields = []
    for _, name, spec, conversion in _placeholders(template):
        if name is not None:
            _check_placeholder(name, spec, conversion)
            fields.append(name)
    return list(dict.fromkeys(fields))


def validate_template(template: str) -> None:
    """Fail loudly on an unknown placeholder, a format spec, conversion, attribute or index, or a template that
    leaves out a required placeholder."""
    if not template.strip():
        raise VariantError("The template is empty.")
    used = template_variables(template)
    unknown = [name for name in used if name not in TEMPLATE_VARIABLES]
    if unknown:
        raise VariantError(f"The template uses {', '.join('{' + n + '}' for n in unknown)}, which "
                           f"{'is' if len(unknown) == 1 else 'are'} not available; use only "
                           f"{', '.join('{' + n + '}' for n in TEMPLATE_VARIABLES)}.")
    missing = [name for name in ("attendee", "candidates") if name not in used]
    if missing:
        raise VariantError(f"The template must include {', '.join('{' + n + '}' for n in missing)}.")


def render_template(template: str, **values) -> str:
    """The template with its named placeholders replaced by str(value), verbatim (the values are never rendered
    themselves). A missing value, or a placeholder that is not a plain name, raises VariantError — also for a
    template saved before those were refused."""
    parts = []
    for literal, name, spec, conversion in _placeholders(template):
        parts.append(literal)
        if name is None:
            continue
        _check_placeholder(name, spec, conversion)
        if name not in values:
            raise VariantError(f"The template needs {{{name}}}, which was not given; available: "
                               f"{', '.join(sorted(values))}.")
        parts.append(str(values[name]))
    return "".join(parts)


def list_variants(session: Session) -> list[PromptVariant]:
    """All variant versions, grouped by name, newest version first."""
    return list(session.scalars(select(PromptVariant).order_by(PromptVariant.name, PromptVariant.version.desc())))


def active_variants(session: Session) -> list[PromptVariant]:
    """The active variants, by id."""
    return list(session.scalars(select(PromptVariant).where(PromptVariant.status == VariantStatus.ACTIVE)
                                .order_by(PromptVariant.id)))


def ensure_seed_variants(session: Session) -> None:
    """Create seed 000 §10.5's control, goal_focused and conversation_optimized variants (50/25/25) once."""
    if session.scalar(select(func.count()).select_from(PromptVariant)):
        return
    for name, (weight, notes, template) in SEED_VARIANTS.items():
        session.add(PromptVariant(name=name, version=1, template=template, weight=weight, status=VariantStatus.ACTIVE,
                                  temperature=0.3, notes=notes))
    session.flush()


def is_used(session: Session, variant_id: int) -> bool:
    """Whether any stored recommendation came from this version (it is then immutable)."""
    return session.scalar(select(Recommendation.id).where(Recommendation.prompt_variant_id == variant_id)
                          .limit(1)) is not None


def previous_version(session: Session, variant: PromptVariant) -> PromptVariant | None:
    return session.scalar(select(PromptVariant).where(PromptVariant.name == variant.name,
                                                      PromptVariant.version < variant.version)
                          .order_by(PromptVariant.version.desc()).limit(1))


def template_diff(old: str, new: str, old_label: str = "previous", new_label: str = "this version") -> str:
    """A unified diff of two templates ('' when they are the same)."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=old_label, tofile=new_label))


@dataclass
class VariantDraft:
    template: str
    temperature: float = 0.3
    model: str | None = None
    notes: str = ""


def _check_draft(draft: VariantDraft) -> None:
    validate_template(draft.template)
    if not 0.0 <= draft.temperature <= 1.0:
        raise VariantError("The temperature must be between 0 and 1.")


def create_variant(session: Session, *, name: str, draft: VariantDraft, actor_id: int | None, clock: Clock
                   ) -> PromptVariant:
    """A new variant (version 1, draft, no traffic)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise VariantError("Give the variant a name of 1–80 characters.")
    if session.scalar(select(PromptVariant.id).where(PromptVariant.name == name).limit(1)):
        raise VariantError(f"A variant named {name!r} exists; edit it to make a new version.")
    _check_draft(draft)
    variant = PromptVariant(name=name, version=1, template=draft.template, temperature=draft.temperature,
                            model=draft.model or None, notes=draft.notes, weight=0, status=VariantStatus.DRAFT,
                            created_by=actor_id)
    session.add(variant)
    session.flush()
    record_audit(session, actor_id=actor_id, action="prompt_variant.create", target_type="prompt_variant",
                 target_id=str(variant.id), details={"name": name}, at=clock.now())
    session.flush()
    return variant


def edit_variant(session: Session, *, variant_id: int, draft: VariantDraft, actor_id: int | None, clock: Clock
                 ) -> PromptVariant:
    """Change a version in place while nothing used it; otherwise create the next version as a draft."""
    variant = session.get(PromptVariant, variant_id)
    if variant is None:
        raise VariantError("That variant no longer exists.")
    _check_draft(draft)
    if is_used(session, variant.id) or variant.status != VariantStatus.DRAFT:
        latest = session.scalar(select(func.max(PromptVariant.version)).where(PromptVariant.name == variant.name))
        variant = PromptVariant(name=variant.name, version=latest + 1, template=draft.template,
                                temperature=draft.temperature, model=draft.model or None, notes=draft.notes,
                                weight=0, status=VariantStatus.DRAFT, created_by=actor_id)
        session.add(variant)
        action = "prompt_variant.new_version"
    else:
        variant.template, variant.temperature = draft.template, draft.temperature
        variant.model, variant.notes = draft.model or None, draft.notes
        action = "prompt_variant.edit"
    session.flush()
    record_audit(session, actor_id=actor_id, action=action, target_type="prompt_variant", target_id=str(variant.id),
                 details={"name": variant.name, "version": variant.version}, at=clock.now())
    session.flush()
    return variant


def set_traffic(session: Session, *, statuses: dict[int, str], weights: dict[int, float], actor_id: int | None,
                clock: Clock) -> None:
    """Apply statuses and weights together: promote, retire, re-weight. Active weights must sum to 100.

    Nothing is written when the result would be invalid."""
    variants = {v.id: v for v in session.scalars(select(PromptVariant))}
    unknown = [i for i in (*statuses, *weights) if i not in variants]
    if unknown:
        raise VariantError("Some variants no longer exist; reload the page.")
    if any(s not in STATUSES for s in statuses.values()):
        raise VariantError(f"A status must be one of {', '.join(STATUSES)}.")
    final_status = {i: statuses.get(i, v.status) for i, v in variants.items()}
    final_weight = {i: (weights.get(i, v.weight) if final_status[i] == VariantStatus.ACTIVE else 0.0)
                    for i, v in variants.items()}
    if any(not 0 <= w <= 100 for w in final_weight.values()):
        raise VariantError("Each weight must be between 0 and 100.")
    active = [i for i, s in final_status.items() if s == VariantStatus.ACTIVE]
    if not active:
        raise VariantError("At least one variant must stay active.")
    total = sum(final_weight[i] for i in active)
    if abs(total - 100) > 1e-6:
        raise VariantError(f"The weights of the active variants add up to {total:g}%; they must add up to 100%.")
    changes = {}
    for i, variant in variants.items():
        if (variant.status, variant.weight) != (final_status[i], final_weight[i]):
            changes[f"{variant.name} v{variant.version}"] = {"status": final_status[i], "weight": final_weight[i]}
            variant.status, variant.weight = final_status[i], final_weight[i]
    if changes:
        record_audit(session, actor_id=actor_id, action="prompt_variant.traffic", target_type="prompt_variant",
                     details=changes, at=clock.now())
    session.flush()


def bucket_of(person_id: int, experiment: str = EXPERIMENT) -> int:
    """A stable bucket in 0..9999 from a hash of the experiment and the person id."""
    digest = hashlib.sha256(f"{experiment}:{person_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000


def pick_variant(person_id: int, weighted: list[tuple[int, float]], experiment: str = EXPERIMENT) -> int:
    """The variant id whose share of the 10,000 buckets holds this person (weights in %, ordered by id)."""
    bucket = bucket_of(person_id, experiment)
    total = sum(w for _, w in weighted)
    edge = 0.0
    for variant_id, weight in sorted(weighted):
        edge += weight / total * 10_000
        if bucket < edge:
            return variant_id
    return sorted(weighted)[-1][0]


def assign_variants(session: Session, person_ids: list[int], clock: Clock) -> dict[int, PromptVariant]:
    """Each person's variant under the current active weights, recorded (and re-recorded if it changed).

    The same weights always give the same answer, so assignments are stable across sessions."""
    ensure_seed_variants(session)
    variants = {v.id: v for v in active_variants(session)}
    weighted = [(v.id, v.weight) for v in variants.values() if v.weight > 0] or [(min(variants), 100.0)]
    chosen = {person_id: pick_variant(person_id, weighted) for person_id in person_ids}
    if chosen:
        statement = insert(ExperimentAssignment).values([
            {"experiment": EXPERIMENT, "person_id": p, "variant_id": v, "assigned_at": clock.now()}
            for p, v in chosen.items()])
        session.execute(statement.on_conflict_do_update(
            index_elements=[ExperimentAssignment.experiment, ExperimentAssignment.person_id],
            set_={"variant_id": statement.excluded.variant_id, "assigned_at": statement.excluded.assigned_at},
            where=ExperimentAssignment.variant_id != statement.excluded.variant_id))
    return {p: variants[v] for p, v in chosen.items()}
