"""Alumni search by skills (seed 003): exact and related skills, under each alumnus's visibility."""
from __future__ import annotations

from sqlalchemy import ColumnElement, case, exists, func, literal, not_, select
from sqlalchemy.orm import Session, aliased

from core.careers.results import AlumniViewer, AlumnusMatch
from core.events.visibility import live
from core.knowledge.skill_names import canonical_skill
from core.networking.visibility import visible_to
from db.models import AlumniVisibility, Alumnus, Person
from db.models.careers import SkillEdge, SkillNode

RELATED_DISCOUNT = 0.5  # a related skill counts this share of its edge weight: never as much as the skill itself
SCORED_ROWS = 1000  # rows scored per search, after the SQL ranking by exact and related matches


def visible_alumni(viewer: AlumniViewer) -> ColumnElement[bool]:
    """SQL condition on Alumnus: the viewer may find this alumnus. Hidden ones never; organizers-only ones for an
    organizer view; an alumnus who is also a person (same email) only while that person is live and, for a viewer
    with a person id, not blocked either way."""
    allowed = [AlumniVisibility.COMMUNITY.value]
    if viewer.organizer_view:
        allowed.append(AlumniVisibility.ORGANIZERS.value)
    person = aliased(Person)
    may_see = live(person) if viewer.person_id is None else visible_to(viewer.person_id, person.id, matching=False)
    return Alumnus.visibility.in_(allowed) & not_(exists().where(func.lower(person.email) == Alumnus.email,
                                                                 not_(may_see)))


def _related(session: Session, keys: list[str]) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Each asked key's related keys with their edge weight, and the display names of every key involved."""
    source, target = aliased(SkillNode), aliased(SkillNode)
    rows = session.execute(select(source.key, target.key, SkillEdge.weight)
                           .join(source, source.id == SkillEdge.source_id)
                           .join(target, target.id == SkillEdge.target_id).where(source.key.in_(keys))).all()
    related: dict[str, dict[str, float]] = {key: {} for key in keys}
    for asked, other, weight in rows:
        related[asked][other] = weight
    involved = set(keys) | {other for _, other, _ in rows}
    names = dict(session.execute(select(SkillNode.key, SkillNode.name).where(SkillNode.key.in_(involved))).all())
    return related, names


def match_alumni(session: Session, skills: list[str], *, viewer: AlumniViewer, limit: int = 20,
                 among: list[int] | None = None) -> list[AlumnusMatch]:
    """Alumni the viewer may see who have the asked skills or related ones, best coverage first.

    score = (sum over asked skills of 1 when the alumnus has it, else RELATED_DISCOUNT x the weight of the
    strongest related skill they have) / number of asked skills; so everything exact ranks above anything less."""
    asked = {name.key: name.label for name in map(canonical_skill, skills) if name is not None}
    if not asked:
        return []
    keys = list(asked)
    related, names = _related(session, keys)
    wanted = set(keys) | {other for others in related.values() for other in others}
    query = select(Alumnus.id, Alumnus.name, Alumnus.current_role, Alumnus.current_company, Alumnus.batch_year,
                   Alumnus.department, Alumnus.skill_keys).where(Alumnus.skill_keys.overlap(sorted(wanted)),
                                                                 visible_alumni(viewer))
    if among is not None:
        query = query.where(Alumnus.id.in_(among))
    # Rank in SQL first and score only the best rows: exact matches decide the order (a related skill adds at most
    # RELATED_DISCOUNT), so a search over 100,000 alumni reads hundreds of rows, not every overlap.
    exact = sum((case((Alumnus.skill_keys.contains([key]), 1), else_=0) for key in keys), literal(0))
    near = sum((case((Alumnus.skill_keys.contains([key]), 1), else_=0) for key in sorted(wanted - set(keys))),
               literal(0))
    query = query.order_by(exact.desc(), near.desc(), Alumnus.id).limit(max(SCORED_ROWS, 20 * limit))
    matches = []
    for row in session.execute(query):
        held = set(row.skill_keys or [])
        score, exact, near = 0.0, [], []
        for key in keys:
            if key in held:
                score += 1.0
                exact.append(names.get(key, asked[key]))
                continue
            # another asked skill already counts for itself: it does not stand in for this one too
            options = [(weight, other) for other, weight in related[key].items()
                       if other in held and other not in asked]
            if options:
                weight, other = max(options, key=lambda o: (o[0], o[1]))
                score += RELATED_DISCOUNT * weight
                near.append((names.get(key, asked[key]), names.get(other, other)))
        if score > 0:
            matches.append(AlumnusMatch(alumnus_id=row.id, name=row.name, current_role=row.current_role,
                                        current_company=row.current_company, batch_year=row.batch_year,
                                        department=row.department, score=round(score / len(keys), 4),
                                        matching_skills=exact, related_skills=near))
    matches.sort(key=lambda m: (-m.score, m.name, m.alumnus_id))
    return matches[:limit]
