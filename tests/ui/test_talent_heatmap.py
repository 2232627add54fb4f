"""The organizer's talent heatmap renders layers and hubs computed from the alumni in the database."""
import json

from sqlalchemy import func, select

from core.alumni.talent import find_hubs, load_points, rebuild_hub_snapshot
from core.jobs.uploads import import_dataset
from db.models import Alumnus
from tests.ui.conftest import page_app


def deck_spec(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_the_map_layers_and_the_hub_table_come_from_the_alumni(demo):
    at = page_app("organizer", "pages/talent_heatmap.py")
    assert not at.exception
    hubs, _ = find_hubs(load_points(demo))
    spec = deck_spec(at)
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert set(layers) == {"countries", "density", "hubs"}
    located = demo.scalar(select(func.count()).select_from(Alumnus).where(Alumnus.lat.is_not(None)))
    assert sum(point["alumni"] for point in layers["density"]["data"]) == located
    assert sorted(p["alumni"] for p in layers["hubs"]["data"]) == sorted(h.size for h in hubs)
    table = at.dataframe[0].value
    assert list(table["alumni"]) == [h.size for h in hubs]


def test_a_skill_filter_narrows_the_map_to_alumni_with_that_skill(demo):
    at = page_app("organizer", "pages/talent_heatmap.py")
    skill = at.selectbox[0].options[1]
    at.selectbox[0].select(skill).run()
    with_skill = demo.scalar(select(func.count()).select_from(Alumnus).where(
        Alumnus.skills.contains([skill]), Alumnus.lat.is_not(None)))
    layers = {layer["id"]: layer for layer in deck_spec(at)["layers"]}
    assert sum(p["alumni"] for p in layers["density"]["data"]) == with_skill


def test_the_job_market_overlay_shows_the_uploaded_postings(demo, clock):
    data = (b"job_title,company,location,required_skills\n"
            b"Data Engineer,Acme,\"Oslo, Norway\",Python\nML Engineer,Beta,\"Oslo, Norway\",Python\n")
    assert import_dataset(demo, kind="job_market", data=data, filename="jobs.csv", event_slug=None, actor_id=None,
                          clock=clock, max_mb=5).ok
    demo.commit()
    at = page_app("organizer", "pages/talent_heatmap.py")
    next(t for t in at.toggle if "job-market demand" in t.label).set_value(True).run()
    jobs = {layer["id"]: layer for layer in deck_spec(at)["layers"]}["jobs"]
    assert [(p["jobs"], p["skills"]) for p in jobs["data"] if "Oslo" in p["location"]] == [(2, "Python")]


def test_hub_growth_between_two_cluster_rebuilds_is_charted(demo, clock):
    rebuild_hub_snapshot(demo, clock=clock)
    demo.commit()
    first = demo.scalar(select(Alumnus).where(Alumnus.lat.is_not(None)).order_by(Alumnus.id).limit(1))
    demo.add_all(Alumnus(email=f"new{i}@x.io", name=f"New {i}", location=first.location, lat=first.lat,
                         lon=first.lon, skills=[]) for i in range(7))
    rebuild_hub_snapshot(demo, clock=clock)
    demo.commit()
    at = page_app("organizer", "pages/talent_heatmap.py")
    assert any(s.value == "Hub growth between uploads" for s in at.subheader)
    growth = next(d.value for d in at.dataframe if "alumni before" in d.value.columns)
    assert growth["change"].iloc[0] == 7
