"""The load bench's floor page: one button whose every click redraws the count the bench waits for."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

FLOOR_PAGE = Path(__file__).resolve().parents[2] / "bench" / "load_floor.py"


def test_each_click_of_the_floor_page_shows_the_new_count():
    app = AppTest.from_file(str(FLOOR_PAGE)).run()
    assert [m.value for m in app.markdown] == ["Clicks: 0"]
    app.button[0].click().run()
    app.button[0].click().run()
    assert [m.value for m in app.markdown] == ["Clicks: 2"]
