"""Tables on pages: every dataframe is shown through `data_table`, so its built-in CSV download cannot carry
spreadsheet formulas."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.ingest.tabular import safe_csv_cell


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells that a spreadsheet would run as formulas are prefixed with an apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_csv_cell)
    return safe


def data_table(frame: pd.DataFrame, **options) -> None:
    """st.dataframe with formula-safe cells, no index and the full width unless told otherwise."""
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    st.dataframe(formula_safe(pd.DataFrame(frame)), **options)
