"""The Skills page under AppTest: the empty state, the network by cluster, trends, clusters, related skills, alumni
found by skills, and hostile skill names shown as typed."""
import json

from tests.integration.careers.test_overview import CLUSTERS, EDGES, SKILLS, add_alumnus, add_skill_graph
from tests.ui.conftest import page_app, texts
from ui.text import plain

PAGE = "pages/skills.py"
HOSTILE = "<b>Evil</b> [click](http://evil.example)"


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_before_the_first_build_the_page_says_what_to_upload_and_when_it_is_built(organizer):
    at = page_app("organizer", PAGE)
    assert not at.exception
    shown = texts(at)
    assert "No skill graph yet" in shown and "Job market" in shown and "nightly" in shown
    assert "python -m jobs run skill-graph" in shown and not at.get("plotly_chart")


def test_the_network_colours_the_top_skills_by_cluster_with_counts_on_hover(organizer):
    add_skill_graph(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert not at.exception
    network = figures(at)[0]
    clusters = {trace["name"]: trace for trace in network["data"] if trace.get("mode") == "markers+text"}
    assert set(clusters) == {name for _, name, _ in CLUSTERS}
    assert any("Alumni: 120 · job postings: 300" in text for text in clusters["Python, SQL"]["hovertext"])
    assert "6 skills, 6 relations between them and 3 clusters" in texts(at)


def test_trending_skills_chart_the_growth_of_rising_and_falling_skills(organizer):
    add_skill_graph(organizer)
    organizer.commit()
    trend = figures(page_app("organizer", PAGE))[1]
    shown = [label for trace in trend["data"] for label in trace["y"]]
    assert shown == ["Machine Learning", "Python", "SQL", "Excel", "Negotiation"]  # by growth; Tableau has none
    assert [trace["name"] for trace in trend["data"]] == ["rising", "falling"]


def test_the_clusters_table_lists_each_cluster_with_its_central_skills(organizer):
    add_skill_graph(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    table = next(d.value for d in at.dataframe if "most central" in d.value.columns)
    assert list(table["name"]) == ["Python, SQL", "Excel, Tableau", "Negotiation"]


def test_a_hostile_skill_name_is_escaped_in_the_chart_and_the_captions(organizer):
    add_skill_graph(organizer, skills=[*SKILLS, (HOSTILE, 0, 50, 50, 0.95, 2.0)], edges=EDGES)
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert not at.exception
    shown = json.dumps([json.loads(chart.proto.spec)["data"] for chart in at.get("plotly_chart")], ensure_ascii=False)
    assert "<b>Evil" not in shown and "&lt;b&gt;Evil&lt;/b&gt;" in shown
    at.text_input(key="skills_related").input(HOSTILE).run()
    assert not at.exception
    markdown = "\n".join(str(c.value) for c in [*at.caption, *at.info])
    assert "](http" not in markdown and plain(HOSTILE) in markdown


def test_related_skills_show_their_score_and_reason_in_words(organizer):
    add_skill_graph(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    at.text_input(key="skills_related").input("Python").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "why" in d.value.columns)
    assert list(table["skill"])[:2] == ["SQL", "Machine Learning"]
    assert all(isinstance(why, str) and " " in why for why in table["why"])


def test_an_unknown_skill_is_answered_with_close_names_that_can_be_picked(organizer):
    add_skill_graph(organizer)
    organizer.commit()
    at = page_app("organizer", PAGE)
    at.text_input(key="skills_related").input("Pythn").run()
    assert not at.exception
    assert any("No skill called" in i.value for i in at.info)
    at.button_group(key="skills_suggested").set_value("Python").run()
    assert not at.exception and at.text_input(key="skills_related").value == "Python"
    assert any("related to **Python**" in c.value for c in at.caption)


def test_alumni_found_by_skills_come_best_match_first_with_their_matching_skills(organizer):
    add_skill_graph(organizer)
    add_alumnus(organizer, "two@example.org", name="Two Skills", skills=("Python", "SQL"))
    add_alumnus(organizer, "three@example.org", name="Three Skills", skills=("Python", "SQL", "Tableau"))
    organizer.commit()
    at = page_app("organizer", PAGE)
    at.multiselect(key="skills_find_alumni").set_value(["Python", "SQL", "Tableau"]).run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "matching skills" in d.value.columns)
    assert list(table["name"])[:2] == ["Three Skills", "Two Skills"]
    assert set(table["matching skills"][0].split(", ")) == {"Python", "SQL", "Tableau"}


def test_a_hostile_skill_name_among_the_popular_pills_shows_as_typed(organizer):
    add_skill_graph(organizer, skills=[*SKILLS, (HOSTILE, 0, 50, 50, 0.95, 2.0)], edges=EDGES)
    organizer.commit()
    at = page_app("organizer", PAGE)
    shown = [option.content for option in at.button_group(key="skills_popular").proto.options]
    assert plain(HOSTILE) in shown and HOSTILE not in shown
