"""The organizer analytics PDF: a valid file, paginated, charts and tables drawn whatever the data."""
from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime

import pytest

from core.analytics.report_pdf import CHART_KINDS, Chart, ReportSection, Table, analytics_pdf, format_number, to_latin1

GENERATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TRICKY = "Zürich – Kraków “AI” 東京 🚀"


def render(*sections: ReportSection, title: str = "Organizer analytics") -> bytes:
    return analytics_pdf(title=title, subtitle="Expo 2026", generated_at=GENERATED, sections=list(sections))


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page(?!s)", pdf))


def page_texts(pdf: bytes) -> list[str]:
    """The text shown on each page: strings within one text object joined, text objects one per line."""
    texts = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        content = zlib.decompress(raw).decode("latin-1")
        lines = ("".join(re.findall(r"\(((?:\\.|[^\\)])*)\) Tj", b)) for b in re.findall(r"BT(.*?)ET", content, re.S))
        texts.append(re.sub(r"\\(.)", r"\1", "\n".join(line for line in lines if line)))
    return texts


def chart(kind: str, n: int = 6, title: str = "Chart") -> Chart:
    return Chart(kind, title, [f"Step {i}" for i in range(n)], [float(100 - 7 * i) for i in range(n)])


def test_the_output_is_a_complete_pdf_file():
    pdf = render(ReportSection("Overview", metrics=[("Attendees", "120")]))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


def test_a_short_report_is_one_page_numbered_one_of_one():
    pdf = render(ReportSection("Overview", metrics=[("Attendees", "120"), ("Matches", "340")]))
    assert page_count(pdf) == 1 and "Page 1 of 1" in page_texts(pdf)[0]


def test_the_title_block_says_when_the_report_was_generated_in_utc():
    assert "Generated 2026-12-01 09:00 UTC" in page_texts(render())[0]


def test_a_long_report_spans_several_pages_and_every_footer_counts_them_all():
    sections = [ReportSection(f"Section {s}", charts=[chart(k) for k in CHART_KINDS]) for s in range(3)]
    pdf = render(*sections)
    pages = page_count(pdf)
    assert pages >= 3 and all(f"Page {i} of {pages}" in text for i, text in enumerate(page_texts(pdf), start=1))


def test_a_chart_is_never_split_across_pages():
    pdf = render(ReportSection("Charts", charts=[Chart("bar", f"Chart {i}", [], []) for i in range(9)]))
    # Each empty chart prints its title and "No data yet" inside its frame: both land on the same page.
    assert all(len(re.findall(r"Chart \d", t)) == t.count("No data yet") for t in page_texts(pdf))


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_every_chart_kind_renders_with_data(kind):
    assert page_count(render(ReportSection("Charts", charts=[chart(kind, n=30)]))) == 1


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_every_chart_kind_renders_no_data_yet_without_values(kind):
    assert "No data yet" in page_texts(render(ReportSection("Charts", charts=[chart(kind, n=0)])))[0]


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_every_chart_kind_survives_zero_negative_and_missing_values(kind):
    odd = Chart(kind, "Odd", ["a", "b", "c", "d"], [0.0, -3.0, float("nan"), None])  # type: ignore[list-item]
    assert page_count(render(ReportSection("Charts", charts=[odd]))) == 1


def test_an_unknown_chart_kind_is_rejected():
    with pytest.raises(ValueError, match="pie"):
        Chart("pie", "Share", ["a"], [1.0])


def test_a_funnel_labels_each_step_with_its_share_of_the_first():
    funnel = Chart("funnel", "Funnel", ["Viewed", "Requested"], [200, 50])
    assert "50 (25.0%)" in page_texts(render(ReportSection("Funnel", charts=[funnel])))[0]


def test_a_section_with_nothing_shows_its_heading_and_no_data_yet():
    assert "Quiet day\nNo data yet" in page_texts(render(ReportSection("Quiet day")))[0]


def test_non_latin1_text_anywhere_does_not_raise():
    section = ReportSection(TRICKY, metrics=[(TRICKY, TRICKY)], charts=[Chart("hbar", TRICKY, [TRICKY], [1], "€")],
                            tables=[Table(TRICKY, [TRICKY], [[TRICKY]])], notes=[TRICKY])
    assert page_count(render(section, title=TRICKY)) >= 1


def test_non_latin1_text_gets_a_readable_fallback():
    assert to_latin1(TRICKY) == 'Zürich - Kraków "AI" ?? ?'


def test_accented_letters_outside_latin1_lose_only_their_accent():
    assert to_latin1("Škoda Łódź") == "Skoda Lódz"


def test_a_long_table_flows_over_pages_repeating_its_header():
    rows = [[f"Person {i}", f"Company {i}", i] for i in range(150)]
    table = Table("Attendees", ["Name", "Employer", "Score"], rows)
    texts = page_texts(render(ReportSection("People", tables=[table])))
    assert len(texts) >= 3 and all("Name\nEmployer\nScore" in t for t in texts)


def test_a_long_table_shows_every_row():
    rows = [[f"Person {i}", i] for i in range(150)]
    text = "\n".join(page_texts(render(ReportSection("People", tables=[Table("Attendees", ["Name", "Score"], rows)]))))
    assert all(f"Person {i}\n" in text for i in range(150))


def test_a_cell_too_long_for_its_column_is_cut_with_an_ellipsis():
    table = Table("Notes", ["Note"], [["word " * 200]])
    assert re.search(r"\n(word )+\w*\.\.\.\n", page_texts(render(ReportSection("Notes", tables=[table])))[0])


def test_a_table_without_rows_shows_no_data_yet():
    assert "No data yet" in page_texts(render(ReportSection("People", tables=[Table("Attendees", ["Name"], [])])))[0]


def test_large_numbers_are_abbreviated_with_their_unit():
    assert [format_number(12_500), format_number(3_400_000, "EUR"), format_number(47.5, "%")] == [
        "12.5k", "3.4M EUR", "47.5%"]
