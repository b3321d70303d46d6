"""The tabular import kit on its own: how it splits lines, reads values and words refusals."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esar.core import tabular
from esar.core.tabular import files

WORDING = tabular.FileWording(pdf="pdf", image="image", zip="zip", not_table="not a table")


@given(st.text(alphabet='ab,"\r\n', max_size=60), st.integers(min_value=1, max_value=7))
def test_csv_lines_split_as_open_with_newline_empty_would(text, chunk):
    expected = io.StringIO(text, newline="").readlines()
    with pytest.MonkeyPatch.context() as patch:
        # Small chunks put a \r\n across a chunk boundary.
        patch.setattr(files, "READ_BYTES", chunk)
        lines = list(files._text_lines(io.BytesIO(text.encode()), "utf-8"))
    assert lines == expected


def test_a_csv_with_old_mac_line_ends_is_read_row_by_row():
    _format, tables, _close = tabular.open_tables(io.BytesIO(b"code,name\r1,a\r2,b\r"), WORDING)
    assert list(tables[0].header) == ["code", "name"]
    assert [list(row) for row in tables[0].rows()] == [["1", "a"], ["2", "b"]]


@pytest.mark.parametrize(
    ("head", "filename", "msgid"),
    [
        (b"", "a.csv", tabular.FILE_EMPTY),
        (b"%PDF-1.7", "a.pdf", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "a.png", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(20), "a.xls", tabular.FILE_XLS),
        (b"ab\x00cd", "a.csv", "not a table"),
    ],
)
def test_a_file_that_is_no_table_is_refused_in_the_imports_words(head, filename, msgid):
    with pytest.raises(tabular.Unreadable) as refused:
        WORDING.file_format(io.BytesIO(head), filename)
    assert refused.value.error.msgid == msgid


def test_a_text_file_named_xlsx_is_refused_only_where_the_import_says_so():
    named = tabular.FileWording(pdf="", image="", zip="", not_table="", named_xlsx="named")
    assert WORDING.file_format(io.BytesIO(b"a,b\n"), "a.xlsx") == "csv"
    with pytest.raises(tabular.Unreadable) as refused:
        named.file_format(io.BytesIO(b"a,b\n"), "a.xlsx")
    assert refused.value.error.msgid == "named"


def test_values_are_read_as_typed():
    assert tabular.code_text(3050000001.0) == "3050000001"
    assert tabular.code_text("๐๑๒") == "012"
    assert tabular.whole_number("๒๕๖๖", 2500, 2700, "year") == 2566
    with pytest.raises(tabular.Invalid):
        tabular.whole_number("2800", 2500, 2700, "year")
    assert str(tabular.parse_date("1/10/2566")) == "2023-10-01"
    colours = tabular.Choices({"red": ("แดง", "Red")}, "%(value)s: %(choices)s")
    assert colours(" RED ") == "red"
    with pytest.raises(tabular.Invalid) as refused:
        colours("blue")
    assert refused.value.params == {"value": "blue", "choices": "แดง"}
