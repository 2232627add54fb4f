"""Skill keys as display names: the skill graph's node names (the data's own spelling) where it has them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.knowledge.skill_names import canonical_skill
from db.models import SkillNode

NAME_LIMIT = 120  # the role and skill columns of the careers tables


class SkillLabels:
    """Key -> display name: the node name ("MLOps") where the graph has the skill, else the canonical label."""

    def __init__(self, session: Session, keys: list[str] | None = None) -> None:
        query = select(SkillNode.key, SkillNode.name)
        if keys is not None:
            query = query.where(SkillNode.key.in_(keys))
        self.names = dict(session.execute(query).all())

    def __call__(self, key: str) -> str:
        name = self.names.get(key)
        if name is None:
            skill = canonical_skill(key)
            name = self.names[key] = skill.label if skill else key
        return name[:NAME_LIMIT]
