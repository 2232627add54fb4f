"""The Re-engagement page under AppTest: the empty state, counts, filters, a member's escaped summary, the send list."""
import csv
import io

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.integration.reengagement.test_overview import ASK, SARAH_FIELDS, WAIT, add_member
from tests.ui.conftest import page_app, texts
from ui.text import plain

PAGE = "pages/reengagement.py"


@pytest.fixture
def media(monkeypatch):
    """Streamlit's media file managers of the AppTest runs, so a deferred download can be made as a click would."""
    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return managers


def downloaded(managers: list[MediaFileManager], button) -> str:
    """The file the deferred download `button` of the last run makes when clicked."""
    entry = managers[-1]._deferred_callables[button.proto.deferred_file_id]
    data = entry["callable"]()
    return data.decode() if isinstance(data, bytes) else data


def test_with_no_profiles_the_page_says_how_to_get_them(organizer):
    at = page_app("organizer", PAGE)
    assert not at.exception
    shown = texts(at)
    assert "No re-engagement profiles yet" in shown and "python -m jobs run reengagement" in shown
    assert not at.metric


def test_the_page_counts_members_per_decision_with_their_labels(organizer):
    add_member(organizer, "sarah", fields=SARAH_FIELDS, events=3, days=5)
    add_member(organizer, "new", decision=ASK)
    add_member(organizer, "later", decision=WAIT, events=1, days=40)
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Send a personalised message": "1", "Ask for more details": "1", "Wait": "1"}
    assert len(at.get("plotly_chart")) == 1
    assert "send_personalised_message" not in at.dataframe[0].value.to_string()


def test_a_filter_narrows_the_table(organizer):
    add_member(organizer, "sarah", name="Sarah Chen", events=3, days=5, neighbourhood="Mission District")
    add_member(organizer, "mike", name="Mike Jones", events=1, days=9, neighbourhood="SOMA")
    organizer.commit()
    at = page_app("organizer", PAGE)
    assert sorted(at.dataframe[0].value["name"]) == ["Mike Jones", "Sarah Chen"]
    at.selectbox(key="reengagement_neighbourhood").set_value("SOMA").run()
    assert list(at.dataframe[0].value["name"]) == ["Mike Jones"]
    at.selectbox(key="reengagement_activity").set_value("active").run()
    assert not at.exception and any("No member matches" in i.value for i in at.info)


def test_a_members_summary_shows_markup_as_typed(organizer):
    summary = "She is <b>bold</b> and [x](http://evil)."
    add_member(organizer, "sarah", name="Sarah <b>Chen</b>", fields=SARAH_FIELDS, summary=summary)
    organizer.commit()
    at = page_app("organizer", PAGE)
    markdown = "\n".join(m.value for m in at.markdown)
    assert "<b>" not in markdown and "](http" not in markdown
    assert plain(summary) in markdown and plain("Sarah <b>Chen</b>") in markdown
    assert any(d.value.shape[1] == 2 and "Days since last event" in set(d.value["field"]) for d in at.dataframe)


def test_the_send_list_download_has_its_columns_and_neutralises_a_formula(organizer, media):
    add_member(organizer, "sarah", fields=SARAH_FIELDS, summary='=HYPERLINK("http://evil","click")', score=85)
    add_member(organizer, "new", decision=ASK)
    organizer.commit()
    at = page_app("organizer", PAGE)
    button = next(b for b in at.get("download_button") if b.label == "Download the send list (CSV)")
    rows = list(csv.reader(io.StringIO(downloaded(media, button))))
    assert rows[0] == ["id", "email", "decision", "summary", "suggested_angle"]
    assert [r[0] for r in rows[1:]] == ["sarah"]
    assert rows[1][3] == "'=HYPERLINK(\"http://evil\",\"click\")"
