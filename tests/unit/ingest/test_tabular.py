"""Reading uploaded tables: encodings, delimiters, line numbers and whole-file rejections."""
import io
import json

import openpyxl
import pytest

from core.ingest.tabular import MB, FileRejected, normalize_header, read_table, safe_csv_cell

LIMIT = 50 * MB


def test_header_names_ignore_case_spacing_and_punctuation():
    assert normalize_header("  E-Mail Address ") == "e_mail_address"


def test_comma_csv_with_semicolon_lists_keeps_lists_in_one_cell():
    table = read_table(b"email,interests\na@x.io,ai;fintech\n", "a.csv", max_bytes=LIMIT)
    assert table.rows[0].values["interests"] == "ai;fintech"


def test_semicolon_delimited_csv_is_detected_from_the_header():
    table = read_table(b"email;first_name\na@x.io;Ana\n", "a.csv", max_bytes=LIMIT)
    assert table.rows[0].values == {"email": "a@x.io", "first_name": "Ana"}


def test_latin1_file_keeps_accented_names():
    data = "email,first_name\nj@x.io,José Müller\n".encode("latin-1")
    table = read_table(data, "a.csv", max_bytes=LIMIT)
    assert table.rows[0].values["first_name"] == "José Müller"


def test_utf8_bom_is_stripped_from_the_first_header():
    table = read_table("email,name\na@x.io,Zoë\n".encode("utf-8-sig"), "a.csv", max_bytes=LIMIT)
    assert table.columns == ["email", "name"] and table.rows[0].values["name"] == "Zoë"


def test_utf16_file_with_bom_is_decoded():
    table = read_table("email,name\na@x.io,Łukasz\n".encode("utf-16"), "a.csv", max_bytes=LIMIT)
    assert table.rows[0].values["name"] == "Łukasz"


def test_binary_bytes_are_rejected_as_not_a_text_table():
    with pytest.raises(FileRejected, match="not a text table"):
        read_table(bytes(range(256)) * 40, "photo.csv", max_bytes=LIMIT)


def test_oversized_file_is_rejected_before_parsing():
    with pytest.raises(FileRejected, match="over the 50 MB limit"):
        read_table(b"a" * (LIMIT + 1), "big.csv", max_bytes=LIMIT)


def test_line_numbers_follow_physical_lines_across_multiline_cells():
    data = b'email,bio\na@x.io,"two\nlines"\nb@x.io,short\n'
    table = read_table(data, "a.csv", max_bytes=LIMIT)
    assert [r.line for r in table.rows] == [2, 4]


def test_row_with_extra_values_is_flagged():
    table = read_table(b"email,name\na@x.io,Ana,oops\n", "a.csv", max_bytes=LIMIT)
    assert "3 values but the header has 2" in table.rows[0].problem


def test_repeated_header_is_rejected():
    with pytest.raises(FileRejected, match="repeats the column"):
        read_table(b"email,Email\na,b\n", "a.csv", max_bytes=LIMIT)


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_carry_their_spreadsheet_row_numbers():
    table = read_table(_xlsx([["Email", "Years"], ["a@x.io", 5.0]]), "a.xlsx", max_bytes=LIMIT)
    assert table.rows[0].line == 2 and table.rows[0].values == {"email": "a@x.io", "years": "5"}


def test_xlsx_with_an_empty_sheet_is_rejected():
    with pytest.raises(FileRejected, match="is empty"):
        read_table(_xlsx([]), "empty.xlsx", max_bytes=LIMIT)


def test_a_corrupt_xlsx_is_rejected_with_advice():
    with pytest.raises(FileRejected, match="not a readable Excel workbook"):
        read_table(b"PK\x03\x04 not really a zip", "a.xlsx", max_bytes=LIMIT)


def test_json_list_values_become_semicolon_lists():
    data = json.dumps([{"Email": "a@x.io", "interests": ["ai", "ml"]}]).encode()
    table = read_table(data, "a.json", max_bytes=LIMIT)
    assert table.rows[0].values == {"email": "a@x.io", "interests": "ai;ml"}


def test_invalid_json_names_the_position():
    with pytest.raises(FileRejected, match="line 1, column"):
        read_table(b'[{"email": }]', "a.json", max_bytes=LIMIT)


def test_formula_prefixes_are_neutralized_in_exports():
    assert safe_csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_csv_cell("plain") == "plain"
