"""The daily cube a page embeds (reports/site/daily_data.py), read straight from the tiny
warehouse (tests/reports/tiny_warehouse.py): dictionary-encoded cells, rows by day, whole
numbers packed as text."""

from __future__ import annotations

import duckdb

from reports.metric_catalogue import CATALOGUE
from reports.site.daily_data import PACKING_ALPHABET, daily_datasets, packed_integers


def unpacked(text: str) -> list[int]:
    """The reader's side of `packed_integers`, as metric_filters.js does it."""
    out, value = [], 0
    for character in text:
        digit = PACKING_ALPHABET.index(character)
        if digit >= 32:
            value = value * 32 + digit - 32
        else:
            out.append(value * 32 + digit)
            value = 0
    return out


def test_packed_integers_round_trip_small_and_large_numbers() -> None:
    """Catches a number of 32 or more packed into one character (read back as another) and
    the groups written least significant first."""
    numbers = [0, 1, 31, 32, 33, 1023, 1024, 123_456]
    assert len(packed_integers([0, 31])) == 2 and len(packed_integers([32, 1023])) == 4
    assert unpacked(packed_integers(numbers)) == numbers


def test_the_cube_combines_segments_and_sums_to_the_mart(tiny_warehouse) -> None:
    """Catches rows lost or doubled by the dictionary encoding: every combination of
    device, source, country and visitor type the mart has, with its sessions, and the
    column total equal to the mart's."""
    con = duckdb.connect(str(tiny_warehouse), read_only=True)
    try:
        cube = daily_datasets(con, [CATALOGUE["sessions"]])["marts.conversion_daily"]
        expected = con.execute(
            "select day, device, source, country, visitor_type, sum(sessions)"
            " from marts.conversion_daily group by all having sum(sessions) > 0 order by all"
        ).fetchall()
    finally:
        con.close()
    assert cube["dims"] == ["device", "source", "country", "visitor_type"]
    sessions = unpacked(cube["sums"][0])
    cells = unpacked(cube["cell"])
    rows, row = [], 0
    for offset, count in enumerate(cube["per_day"]):
        for _ in range(count):
            cell = cube["cells"][cells[row]]
            names = [cube["values"][dim][i] for dim, i in zip(cube["dims"], cell, strict=True)]
            rows.append((offset, *names, sessions[row]))
            row += 1
    first = expected[0][0]
    assert rows == [((day - first).days, *rest) for day, *rest in expected]
