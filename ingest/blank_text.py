"""Whether a text column may hold a blank value, found without stripping it.

The contract reads a value that is empty or only whitespace as missing, which takes
stripping every value (a copy of the column). Most export columns have no such value, and
a blank value starts with whitespace or is empty: looking at first bytes proves a column
has none at a fraction of the cost, and only the columns that may have one are stripped.

polars keeps text as Arrow string views: 16 bytes per value, the value's length in bytes
first (4 bytes, little-endian) and its first bytes next (from byte 4, whatever the
length), so the first byte of every value is read from the views without touching the
text itself.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

VIEW_BYTES = 16
# A blank value is empty or starts with whitespace: an ASCII one that polars' strip removes
# (tab, line feed, vertical tab, form feed, carriage return, space: all at or below
# SPACE) or a Unicode one, whose first byte is not ASCII (no-break and other spaces). A
# value starting with any other byte is not blank; one starting with a control character
# or a non-ASCII letter only makes the answer "maybe".
SPACE = 32
FIRST_NON_ASCII = 0x80


def _chunk_may_be_blank(chunk: pa.Array) -> bool:
    if len(chunk) == 0:
        return False
    if chunk.type != pa.string_view():
        return True  # another layout: not read here, so the caller strips
    first, end = chunk.offset * VIEW_BYTES, (chunk.offset + len(chunk)) * VIEW_BYTES
    views = np.frombuffer(chunk.buffers()[1], dtype=np.uint8)[first:end]
    first_bytes = views[4::VIEW_BYTES]
    empty = views.view("<u4")[0 :: VIEW_BYTES // 4] == 0
    maybe = (first_bytes <= SPACE) | (first_bytes >= FIRST_NON_ASCII) | empty
    if chunk.null_count:  # a null value's view is not a value: its bytes say nothing
        bits = np.frombuffer(chunk.buffers()[0], dtype=np.uint8)
        valid = np.unpackbits(bits, bitorder="little")[chunk.offset : chunk.offset + len(chunk)]
        maybe &= valid.astype(bool)
    return bool(maybe.any())


def columns_without_blanks(frame: pl.DataFrame, names: list[str]) -> set[str]:
    """The text columns of `frame` among `names` in which no value is empty or whitespace only.

    Args:
        frame: rows; the named columns are String (nulls allowed: a null is missing, not
            blank).
        names: the columns to look at.

    Returns:
        The names of the columns with no blank value; a column left out may have one
        (then strip it to know).
    """
    if not names:
        return set()
    # The frame's Arrow form keeps polars' chunks as they are; a column alone would be
    # copied into one chunk first.
    table = frame.select(names).to_arrow(compat_level=pl.CompatLevel.newest())
    return {
        name
        for name, column in zip(names, table.columns, strict=True)
        if not any(_chunk_may_be_blank(chunk) for chunk in column.chunks)
    }
