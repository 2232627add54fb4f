"""Every page file opened on its own, with no login, shows only a login prompt."""
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.ui.conftest import PAGE_FILES
from ui.navigation import LOGIN_PAGE, PUBLIC_PAGES

PUBLIC = {spec.path for spec in PUBLIC_PAGES} | {LOGIN_PAGE}


def test_there_are_page_files_to_check():
    assert len(PAGE_FILES) >= 8


@pytest.mark.parametrize("page", [p for p in PAGE_FILES if p not in PUBLIC])
def test_a_page_opened_alone_shows_a_login_prompt_and_no_data(demo, page):
    at = AppTest.from_file(str(ROOT / page), default_timeout=30).run()
    assert not at.exception
    assert any("Please log in" in i.value for i in at.info)
    assert not at.dataframe and not at.table and not at.metric and not at.text_input
    assert [t.value for t in at.title] == ["GlobalConnect"]
