"""Alumni search by skills on a real Postgres: ranking by coverage of the asked skills, related skills from the
graph, and who may find whom (alumni visibility, deleted people, blocks)."""
from datetime import datetime

from core.careers.alumni_search import RELATED_DISCOUNT, match_alumni
from core.careers.results import AlumniViewer
from core.careers.skill_graph import rebuild_skill_graph
from core.careers.skill_queries import related_skills
from core.knowledge.skill_names import skill_keys
from core.networking.moderation import block_person
from db.models import AlumniVisibility, Alumnus, Person
from tests.integration.careers.test_skill_graph import community

ASKED = ["Python", "SQL", "Machine Learning"]
ORGANIZER = AlumniViewer(person_id=None, organizer_view=True)


def alumnus(db, name: str, skills: list[str], visibility: str = AlumniVisibility.COMMUNITY) -> int:
    row = Alumnus(email=f"{name.lower()}@alumni.io", name=name, skills=skills, skill_keys=skill_keys(skills),
                  visibility=visibility)
    db.add(row)
    db.flush()
    return row.id


def person(db, name: str, email: str | None = None, **fields) -> int:
    row = Person(email=email or f"{name.lower()}@people.io", first_name=name, last_name="T", **fields)
    db.add(row)
    db.flush()
    return row.id


def names(matches) -> list[str]:
    return [m.name for m in matches]


def test_an_alumnus_with_all_three_skills_ranks_above_one_with_two(db):
    alumnus(db, "Two", ["Python", "SQL"])
    alumnus(db, "Three", ["python", "SQL", "ML"])
    alumnus(db, "None", ["Sales"])
    matches = match_alumni(db, ASKED, viewer=ORGANIZER)
    assert names(matches) == ["Three", "Two"]
    assert matches[0].score == 1.0 and abs(matches[1].score - 2 / 3) < 1e-4
    assert matches[0].matching_skills == ["Python", "SQL", "Machine Learning"]


def test_a_related_skill_counts_less_than_the_skill_itself(db, clock, real_embedder):
    community(db)
    rebuild_skill_graph(db, embedder=real_embedder, clock=clock)
    stand_in = next(r for r in related_skills(db, "Statistics") if r.skill not in ("Python", "SQL"))
    ids = [alumnus(db, "Exact", ["Python", "SQL", "Statistics"]),
           alumnus(db, "Near", ["Python", "SQL", stand_in.skill])]
    exact, near = match_alumni(db, ["Python", "SQL", "Statistics"], viewer=ORGANIZER, among=ids)
    assert (exact.name, exact.score, near.name) == ("Exact", 1.0, "Near")
    assert near.related_skills == [("Statistics", stand_in.skill)]
    assert abs(near.score - (2 + RELATED_DISCOUNT * stand_in.score) / 3) < 1e-3


def test_hidden_alumni_are_never_listed(db):
    alumnus(db, "Hidden", ["Python"], AlumniVisibility.HIDDEN)
    assert match_alumni(db, ["Python"], viewer=ORGANIZER) == []


def test_alumni_visible_to_organizers_are_listed_only_for_an_organizer_view(db):
    alumnus(db, "Quiet", ["Python"], AlumniVisibility.ORGANIZERS)
    attendee = person(db, "Viewer")
    assert names(match_alumni(db, ["Python"], viewer=ORGANIZER)) == ["Quiet"]
    assert match_alumni(db, ["Python"], viewer=AlumniViewer(person_id=attendee)) == []


def test_community_alumni_are_listed_for_every_signed_in_viewer(db):
    alumnus(db, "Open", ["Python"])
    attendee = person(db, "Viewer")
    assert names(match_alumni(db, ["Python"], viewer=AlumniViewer(person_id=attendee))) == ["Open"]


def test_an_alumnus_whose_person_asked_for_deletion_is_not_listed(db):
    alumnus(db, "Leaving", ["Python"])
    person(db, "Leaving", email="leaving@alumni.io", deletion_requested_at=datetime(2026, 11, 30))
    assert match_alumni(db, ["Python"], viewer=ORGANIZER) == []


def test_an_alumnus_blocked_by_the_viewer_is_not_listed_to_them_but_to_others(db, clock):
    alumnus(db, "Blocked", ["Python"])
    blocked = person(db, "Blocked", email="blocked@alumni.io")
    viewer, other = person(db, "Viewer"), person(db, "Other")
    block_person(db, blocker_id=viewer, blocked_id=blocked, clock=clock)
    assert match_alumni(db, ["Python"], viewer=AlumniViewer(person_id=viewer)) == []
    assert names(match_alumni(db, ["Python"], viewer=AlumniViewer(person_id=other))) == ["Blocked"]


def test_among_restricts_the_search_to_the_given_alumni(db):
    first = alumnus(db, "First", ["Python"])
    alumnus(db, "Second", ["Python"])
    assert names(match_alumni(db, ["Python"], viewer=ORGANIZER, among=[first])) == ["First"]


def test_spellings_and_abbreviations_of_the_asked_skills_match(db):
    alumnus(db, "Webdev", ["JavaScript", "Kubernetes"])
    matches = match_alumni(db, ["js", "K8s"], viewer=ORGANIZER)
    assert names(matches) == ["Webdev"] and matches[0].score == 1.0
