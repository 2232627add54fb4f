"""The adjacent-interest card of a list (seed 004 §3) and displayed scores that never rise down a list."""
from __future__ import annotations

from dataclasses import replace

from core.recommend.explain import Explanation, Found, Side, TextSpace

ADJACENT_CHIP = "Adjacent interest"


def in_display_order(scores: list[float]) -> list[float]:
    """Each score capped by the one above it, so a list shown in rank order shows its scores in order."""
    shown: list[float] = []
    for score in scores:
        shown.append(min(score, shown[-1]) if shown else score)
    return shown


def _reason(them: Side, found: Found) -> str:
    if found is None or found[0].lower() == found[1].lower():
        interest = next(iter(them.topics), None)
        field = f" ({interest})" if interest else ""
        return f"Adjacent interest: {them.first_name} works in a field next to yours{field}, worth exploring."
    mine, theirs, _ = found
    return f"Adjacent interest: {them.first_name} is into {theirs}, next to your {mine}."


def adjacent_reasons(sides: list[Side], pairs: list[tuple[int, int]], space: TextSpace) -> list[str]:
    """Why each (me, them) candidate is adjacent: their interest closest to one of mine, side by side (all pairs
    at once)."""
    if not pairs:
        return []
    mine = space.pad([(sides[m].topics, []) for m, _ in pairs])
    theirs = space.pad([(sides[t].topics, []) for _, t in pairs])
    return [_reason(sides[t], found) for (_, t), found in zip(pairs, space.best_pairs(mine, theirs), strict=True)]


def with_adjacent_reason(explanation: Explanation, reason: str) -> Explanation:
    """The explanation led by the adjacent-interest reason and chip, keeping its first reason and its last (what
    matched)."""
    kept = sorted({0, len(explanation.reasons) - 1}) if explanation.reasons else []
    return replace(explanation, reasons=[reason, *(explanation.reasons[i] for i in kept)],
                   specific=[True, *(explanation.specific[i] for i in kept)],
                   chips=[ADJACENT_CHIP, *explanation.chips[:2]])
