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
# First bytes a blank value can start with: the ASCII whitespace that polars' strip
# removes (tab, line feed, vertical tab, form feed, carriage return, space) and any
# non-ASCII byte (the first byte of no-break and other Unicode spaces; a value starting
# with another non-ASCII letter only makes the answer "maybe").
_MAY_START_BLANK = np.zeros(256, dtype=bool)
_MAY_START_BLANK[[9, 10, 11, 12, 13, 32]] = True
_MAY_START_BLANK[0x80:] = True


def _chunk_may_be_blank(chunk: pa.Array) -> bool:
    if len(chunk) == 0:
        return False
    if chunk.type != pa.string_view():
        return True  # another layout: not read here, so the caller strips
    first, end = chunk.offset * VIEW_BYTES, (chunk.offset + len(chunk)) * VIEW_BYTES
    views = np.frombuffer(chunk.buffers()[1], dtype=np.uint8)[first:end]
    empty = views.view("<u4")[0 :: VIEW_BYTES // 4] == 0
    maybe = empty | _MAY_START_BLANK[views[4::VIEW_BYTES]]
    if chunk.null_count:  # a null value's view is not a value: its bytes say nothing
        bits = np.frombuffer(chunk.buffers()[0], dtype=np.uint8)
        valid = np.unpackbits(bits, bitorder="little")[chunk.offset : chunk.offset + len(chunk)]
        maybe &= valid.astype(bool)
    return bool(maybe.any())


def may_be_blank(values: pl.Series) -> bool:
    """Whether any value of a text column may be empty or whitespace only.

    Args:
        values: a String column (nulls allowed; a null is not blank, it is missing).

    Returns:
        False only when no value is blank; True when one may be (then strip to know).
    """
    arrow = values.to_arrow(compat_level=pl.CompatLevel.newest())
    chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
    return any(_chunk_may_be_blank(chunk) for chunk in chunks)
