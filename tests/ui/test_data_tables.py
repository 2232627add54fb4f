"""Dataframes shown on pages cannot carry spreadsheet formulas into their built-in CSV download."""
from pathlib import Path

import pandas as pd

from core.ingest.tabular import safe_csv_cell
from ui.tables import formula_safe

ROOT = Path(__file__).resolve().parents[2]


def test_a_formula_after_leading_whitespace_is_neutralised():
    assert safe_csv_cell("  =HYPERLINK(\"http://x\")") == "'  =HYPERLINK(\"http://x\")"
    assert safe_csv_cell("\n@SUM(A1)") == "'\n@SUM(A1)"


def test_text_cells_of_a_shown_table_are_made_formula_safe_and_numbers_are_kept():
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Ada"], "score": [-3, 4]})
    safe = formula_safe(frame)
    assert safe["name"].tolist() == ["'=cmd|' /C calc'!A0", "Ada"]
    assert safe["score"].tolist() == [-3, 4]
    assert frame["name"][0].startswith("=")  # the caller's frame is not changed


def test_no_page_shows_a_dataframe_except_through_the_formula_safe_helper():
    offenders = [str(p.relative_to(ROOT)) for p in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]
                 if "st.dataframe(" in p.read_text() and p.name != "tables.py"]
    assert offenders == []
