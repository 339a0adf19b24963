"""The daily cube's bulk encoding (reports/site/daily_data.py) gives, character for
character, what encoding value by value gives: the packed numbers, the sums' JSON values
and the cell of each row, on every dataset the site embeds."""

from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import numpy as np
import polars as pl
import pytest

from reports.metric_catalogue import CATALOGUE
from reports.site import daily_data
from reports.site.daily_data import PACKING_ALPHABET, _cells, _column, daily_datasets
from reports.site.daily_data import packed_integers as packed


def packed_one_by_one(values: list[int]) -> str:
    characters = []
    for value in values:
        groups = [value & 31]
        value >>= 5
        while value:
            groups.append(value & 31)
            value >>= 5
        characters.extend(PACKING_ALPHABET[32 + g] for g in reversed(groups[1:]))
        characters.append(PACKING_ALPHABET[groups[0]])
    return "".join(characters)


def column_one_by_one(sums: pl.Series) -> str | list:
    numbers = [0 if v is None else int(v) if float(v).is_integer() else float(v) for v in sums]
    if all(isinstance(v, int) and v >= 0 for v in numbers):
        return packed_one_by_one(numbers)
    return numbers


def cells_one_by_one(frame: pl.DataFrame, values: dict[str, list[str]]):
    index = {name: {v: i for i, v in enumerate(kept)} for name, kept in values.items()}
    cells: dict[tuple[int, ...], int] = {}
    rows = []
    columns = [frame[f"d{i}"] for i in range(len(values))]
    for row in zip(*columns, strict=True) if values else (() for _ in range(frame.height)):
        cell = tuple(index[name][v] for name, v in zip(values, row, strict=True))
        rows.append(cells.setdefault(cell, len(cells)))
    return [list(cell) for cell in cells], rows


def test_numbers_pack_as_one_by_one():
    """Catches a group dropped or misplaced for numbers of several groups (32 and up), or
    the numbers' order lost in bulk."""
    numbers = [0, 1, 31, 32, 33, 1023, 1024, 123_456, 2**40 + 5, 7]
    numbers += np.random.default_rng(0).integers(0, 2**20, 500).tolist()
    assert packed(numbers) == packed_one_by_one(numbers)
    assert packed([]) == ""


@pytest.mark.parametrize(
    "sums",
    [
        pl.Series([3, None, 0, 40, 1025], dtype=pl.Int64),
        pl.Series([3, -2, 5], dtype=pl.Int64),
        pl.Series([3.0, 12.5, None, 1e6, -4.0, -0.0], dtype=pl.Float64),
        pl.Series([3.0, 64.0, None, 0.0], dtype=pl.Float64),
        pl.Series([float("nan"), 2.0, float("inf")], dtype=pl.Float64),
        pl.Series([2.0**60, 1.5], dtype=pl.Float64),
        pl.Series([Decimal("1.50"), Decimal("2.00")], dtype=pl.Decimal(10, 2)),
        pl.Series([Decimal("2.00"), None, Decimal("64.00")], dtype=pl.Decimal(38, 2)),
        pl.Series([Decimal("-3.10"), Decimal("0.07"), Decimal(5)], dtype=pl.Decimal(38, 2)),
        # unscaled integers past 2^53: a cast that rounds twice (to a double, then
        # divided by 100) differs from float() of the decimal
        pl.Series([Decimal("90071992547409.93"), Decimal("0.10")], dtype=pl.Decimal(38, 2)),
        pl.Series(
            [
                Decimal(int(c)) / 100
                for c in np.random.default_rng(1).integers(-(10**12), 10**12, 2000)
            ],
            dtype=pl.Decimal(38, 2),
        ),
    ],
)
def test_sums_encode_as_one_by_one(sums):
    """Catches a whole-number float written as 12.0 instead of 12, a missing sum not written
    as 0, a negative number packed, or a column packed that one non-whole value keeps a list."""
    assert json.dumps(_column(sums)) == json.dumps(column_one_by_one(sums))


def test_cells_number_as_one_by_one():
    """Catches a row given another row's cell, or cells numbered in another order than the
    rows they first appear in (the browser reads cell numbers against the `cells` list)."""
    frame = pl.DataFrame(
        {"d0": ["b", "a", "b", "c", "a"], "d1": ["x", "y", "x", "x", "y"], "d2": list("ppqpp")}
    )
    values = {"one": ["a", "b", "c"], "two": ["x", "y"], "three": ["p", "q"]}
    for kept in (values, {}):
        cells, rows = _cells(frame, kept)
        assert (cells, rows.tolist()) == cells_one_by_one(frame, kept)


def test_every_daily_dataset_equals_its_one_by_one_encoding(tiny_warehouse, monkeypatch):
    """Catches any difference, on the marts the pages embed, between the bulk encoding and
    the value-by-value one it replaced (a day's row count, a cell, a sum)."""
    metrics = [m for m in CATALOGUE.values() if m.mart.time_column == "day"]
    with duckdb.connect(str(tiny_warehouse), read_only=True) as con:
        bulk = daily_datasets(con, metrics)
        monkeypatch.setattr(daily_data, "packed_integers", packed_one_by_one)
        monkeypatch.setattr(daily_data, "_column", column_one_by_one)
        monkeypatch.setattr(
            daily_data,
            "_cells",
            lambda frame, values: cells_one_by_one(frame, values),
        )
        one_by_one = daily_datasets(con, metrics)
    assert sum(bool(d["days"]) for d in bulk.values()) >= 3
    assert json.dumps(bulk, default=str) == json.dumps(one_by_one, default=str)
