"""Reading the stored skill graph: find a skill, suggest close names, related skills and their CSV export."""
from __future__ import annotations

import csv
import difflib
import io

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from core.careers.results import RelatedSkill
from core.ingest.tabular import safe_csv_cell
from core.knowledge.skill_names import canonical_skill
from core.knowledge.skills import normalize_phrase
from db.models.careers import SkillEdge, SkillNode, SkillRelation

EXPORT_COLUMNS = ("skill", "related", "score", "reason")


class UnknownSkill(ValueError):
    """A skill the graph does not know; the message names close skills it does know, or says to build the graph."""


def find_skill(session: Session, text: str) -> SkillNode | None:
    """The stored node of a skill however it is spelt ("JS", "javascript"), or None."""
    name = canonical_skill(text or "")
    if name is None:
        return None
    node = session.scalar(select(SkillNode).where(SkillNode.key == name.key))
    if node is None:  # a label typed as stored ("C And C++ Programming")
        node = session.scalar(select(SkillNode).where(func.lower(SkillNode.name) == " ".join(text.split()).lower())
                              .order_by(SkillNode.id).limit(1))
    return node


def suggest_skills(session: Session, text: str, limit: int = 5) -> list[str]:
    """Names of stored skills close to the text (for "did you mean"), most popular first among equally close."""
    wanted = normalize_phrase(text or "")
    if not wanted:
        return []
    rows = session.execute(select(SkillNode.key, SkillNode.name, SkillNode.popularity)).all()
    by_key = {key: (name, popularity) for key, name, popularity in rows}
    close = difflib.get_close_matches(wanted, list(by_key), n=limit * 3, cutoff=0.6)
    close += [key for key in by_key if wanted in key.split() and key not in close]  # "python" -> "python3"
    ranked = sorted(dict.fromkeys(close), key=lambda k: (-difflib.SequenceMatcher(None, wanted, k).ratio(),
                                                         -by_key[k][1], k))
    return [by_key[k][0] for k in ranked[:limit]]


def unknown_skill(session: Session, text: str) -> UnknownSkill:
    """The UnknownSkill error for a text, with suggestions or the way to build the graph."""
    if session.scalar(select(SkillNode.id).limit(1)) is None:
        return UnknownSkill("The skill graph is empty: upload alumni, job-market or educational data, then run "
                            "python -m jobs run skill-graph.")
    suggestions = suggest_skills(session, text)
    hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else " Check the spelling."
    return UnknownSkill(f"No skill '{' '.join((text or '').split())[:80]}' in the skill graph.{hint}")


def reason_text(reason: str, source: str, target: str, cooccurrence: float, similarity: float,
                family: str | None) -> str:
    """An edge's reason in words."""
    share = f"{round(cooccurrence * 100)} %"
    if reason == SkillRelation.SAME_FAMILY:
        return f"same skill family ({family})" if family else "same skill family"
    if reason == SkillRelation.DEMANDED_TOGETHER:
        return f"asked for together in job postings ({share} of the listings with {source} also have {target})"
    if reason == SkillRelation.OFTEN_TOGETHER:
        return f"often listed together ({share} of the profiles and courses with {source} also have {target})"
    return f"similar in meaning (similarity {similarity:.2f})"


def related_skills(session: Session, skill: str, limit: int = 10) -> list[RelatedSkill]:
    """The stored related skills of a skill, strongest first; UnknownSkill if the graph lacks it."""
    node = find_skill(session, skill)
    if node is None:
        raise unknown_skill(session, skill)
    target = aliased(SkillNode)
    rows = session.execute(
        select(SkillEdge, target.name).join(target, target.id == SkillEdge.target_id)
        .where(SkillEdge.source_id == node.id).order_by(SkillEdge.weight.desc(), target.name).limit(limit)).all()
    return [RelatedSkill(skill=name, score=round(edge.weight, 4), similarity=round(edge.similarity, 4),
                         cooccurrence=round(edge.cooccurrence, 4), reason=edge.reason,
                         reason_text=reason_text(edge.reason, node.name, name, edge.cooccurrence, edge.similarity,
                                                 node.family))
            for edge, name in rows]


def export_related_skills_csv(session: Session, skill: str) -> str:
    """CSV `skill,related,score,reason` of a skill's related skills; reason is the SkillRelation value (stable for
    scripts: same_family, demanded_together, often_together, similar_meaning)."""
    node = find_skill(session, skill)
    if node is None:
        raise unknown_skill(session, skill)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for related in related_skills(session, skill, limit=100):
        writer.writerow([safe_csv_cell(node.name), safe_csv_cell(related.skill), f"{related.score:.4f}",
                         related.reason])
    return out.getvalue()
