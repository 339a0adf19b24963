"""Property-based fuzz of typed Parquet exports: every contract column already typed (as
polars writes it), with loadable values, extremes of each type and nulls; the load must
reconcile and keep to the bounds as for text exports (tests/ingest/test_fuzz_readers.py,
whose checks and Hypothesis profile this uses).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from contract.exports import CONTRACT, RAW_TABLE
from tests.ingest.test_fuzz_readers import DAY, FUZZ, TEXT, _check_load

# Values of the right type that load, per contract column type, for the typed-Parquet fuzz.
VALID_TEXT = {
    "event_name": "page_view",
    "feedback_type": "review",
    "order_status": "placed",
    "currency": "GBP",
    "visitor_type": "new",
}
MOMENT = dt.datetime(2024, 1, 5, 10, 0)
UNITS = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _typed_column(name: str, dtype: pl.DataType, unit: str) -> st.SearchStrategy:
    """A strategy for one typed Parquet column: loadable values, extremes, and nulls."""
    if dtype == pl.String():
        return st.one_of(st.just(VALID_TEXT.get(name, "S1")), TEXT, st.none())
    if dtype == pl.Int64():
        return st.one_of(st.just(2), st.integers(-(2**63), 2**63 - 1), st.none())
    if dtype == pl.Float64():
        return st.one_of(st.just(1.5), st.floats(), st.none())
    if dtype == pl.Boolean():
        return st.one_of(st.booleans(), st.none())
    if dtype == pl.Date():
        return st.one_of(
            st.just((DAY - dt.date(1970, 1, 1)).days), st.integers(-(2**31), 2**31 - 1)
        )
    epoch = int((MOMENT - dt.datetime(1970, 1, 1)).total_seconds()) * UNITS[unit]
    return st.one_of(st.just(epoch), st.integers(-(2**63), 2**63 - 1))


@st.composite
def typed_exports(draw) -> tuple[str, pl.DataFrame]:
    """One kind's generic export as a Parquet frame with every contract column typed."""
    kind = draw(st.sampled_from(sorted(RAW_TABLE)))
    unit = draw(st.sampled_from(sorted(UNITS)))
    zone = draw(st.sampled_from([None, "UTC", "Europe/Berlin"]))
    height = draw(st.integers(1, 4))
    columns = {}
    for column in CONTRACT[kind]:
        values = draw(
            st.lists(
                _typed_column(column.name, column.dtype, unit),
                min_size=height,
                max_size=height,
            )
        )
        if column.dtype == pl.Date():
            columns[column.name] = pl.Series(values, dtype=pl.Int32()).cast(pl.Date())
        elif isinstance(column.dtype, pl.Datetime):
            columns[column.name] = pl.Series(values, dtype=pl.Int64()).cast(pl.Datetime(unit, zone))
        else:
            columns[column.name] = pl.Series(values, dtype=column.dtype)
    return kind, pl.DataFrame(columns)


@FUZZ
@given(export=typed_exports())
def test_typed_parquet_columns_reconcile_and_keep_to_the_bounds(export):
    """Bug caught: a typed Parquet value polars cannot print (a timestamp beyond year 9999, a
    sentinel of -2**63) panicking the whole load, or a typed extreme number slipping past the
    bounds because typed columns skip the text parse."""
    kind, frame = export
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / kind).mkdir()
        frame.write_parquet(folder / kind / f"{DAY}.parquet")
        _check_load(folder, kind)
