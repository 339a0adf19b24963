"""Columns are stripped only when a look at their first bytes cannot rule out a blank value:
the look must never miss one, and a column it clears must load exactly as stripped text."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ingest.blank_text import columns_without_blanks
from ingest.load import load_days
from tests.ingest.test_quarantine import quarantine, write

DAY = dt.date(2024, 1, 5)


def may_be_blank(values: pl.Series) -> bool:
    frame = pl.DataFrame({"value": values})
    return columns_without_blanks(frame, ["value"]) != {"value"}


@pytest.mark.parametrize(
    "blank",
    ["", " ", "\t", "\r\n", "\u00a0", "\u3000", " " * 20, "\u2003\u2003"],
    ids=["empty", "space", "tab", "crlf", "nbsp", "ideographic", "long", "em-spaces"],
)
def test_a_blank_value_is_always_seen(blank):
    """Bug caught: a blank value not seen (empty, a Unicode space, or longer than the
    12 bytes a string view holds inline) loads as a value instead of as missing."""
    assert may_be_blank(pl.Series(["SKU-1", None, blank, "a value well over twelve bytes"]))


def test_a_column_without_blanks_is_cleared_nulls_included():
    """Bug caught: the bytes behind a null taken as an empty value, so every column with
    a null is stripped for nothing (or, the other way, a blank after a null missed)."""
    assert not may_be_blank(pl.Series(["S1", None, "x  ", "a value well over twelve bytes", None]))
    assert not may_be_blank(pl.Series([None, None], dtype=pl.String()))
    assert may_be_blank(pl.Series([None, " "]))


def test_slices_and_chunks_are_read_at_their_own_rows():
    """Bug caught: the views of a sliced or many-chunk column read from the wrong row, so a
    blank outside the slice counts, or one in a later chunk is missed."""
    values = pl.Series([" ", "S1", "S2", "S3"])
    assert not may_be_blank(values.slice(1, 3))
    assert may_be_blank(values.slice(0, 2))
    chunks = pl.concat([pl.Series(["S1", "S2"]), pl.Series(["S3", "\u00a0"])], rechunk=False)
    assert pl.DataFrame({"value": chunks}).n_chunks() == 2
    assert may_be_blank(chunks)


def test_columns_cleared_and_stripped_load_as_stripped_text(exports, con):
    """Bug caught: a column the look clears (no blank, but spaces around a value) loses its
    raw value, reads a number with spaces, or quotes a duplicate key with its spaces."""
    write(
        exports,
        "traffic/2024-01-05.csv",
        "event_at,event_name,user_id,session_id,event_id,quantity,value,page\n"
        "2024-01-05 10:00:00,page_view,U1,S1,E1 ,2,1.5,/home  \n"  # line 2: loads
        "2024-01-05 10:01:00,page_view,U1,S1,E1 ,3,2.5,/cart\n"  # line 3: E1 again
        "2024-01-05 10:02:00,page_view,U1,\u00a0,E2,05,1e1,/x\n"  # line 4: session empty
        "2024-01-05 10:03:00,page_view,U2,S2,E3, 7 ,2.0,/y\n"  # line 5: loads, 7
        "2024-01-05 10:04:00,page_view,\u2003,S3,E4,1,1.0,/z\n",  # line 6: no user
    )
    report = load_days(con, exports, "traffic", [DAY])
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 3, 2)
    assert con.execute(
        "select _line, event_id, session_id, quantity, value, page from raw.traffic_events "
        "order by _line"
    ).fetchall() == [
        (2, "E1 ", "S1", 2, 1.5, "/home  "),
        (4, "E2", None, 5, 10.0, "/x"),
        (5, "E3", "S2", 7, 2.0, "/y"),
    ]
    assert quarantine(con) == [
        (
            3,
            "event_id",
            "E1 ",
            'duplicate event_id "E1" also on line 2; that line is loaded, '
            "export each event_id once per file",
        ),
        (
            6,
            "user_id",
            "\u2003",
            "user_id is missing; every traffic row needs user_id, fill it in the export",
        ),
    ]


def test_a_one_value_column_is_read_too():
    """Bug caught: a chunk of one value skipped as if it were empty, so a file of one row
    whose value is blank loads the blank as a value instead of as missing."""
    assert may_be_blank(pl.Series([" "]))
    assert may_be_blank(pl.Series([""]))
    assert not may_be_blank(pl.Series(["S1"]))


def test_an_empty_column_has_no_blank_value():
    """Bug caught: an empty column (a file with a header and no rows) said to may hold a
    blank, so it is stripped for nothing; it has no value at all, blank or not."""
    assert not may_be_blank(pl.Series([], dtype=pl.String()))


def test_values_starting_with_a_printable_character_are_cleared():
    """Bug caught: a look wider than blank values (the space's code taken as 33, or every
    one-byte value counted as empty) that calls ordinary values "maybe blank": "!" is the
    first character after the space, "x" is one byte long, "~" is the last printable ASCII
    character. A column of such values has no blank and must skip the strip, the copy of
    every value this look exists to avoid."""
    for values in (["!"], ["!x", "x"], ["x", "~", "a value well over twelve bytes"]):
        assert not may_be_blank(pl.Series(values)), values
