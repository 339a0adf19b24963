"""The shop's currency code on the pages' money labels ("Net sales (EUR)").

The publisher is told the code (`reports.site.publish.publish_site`, from the run's exports
and settings: assets/reports.py) and keeps it on its read-only connection as the DuckDB
variable `site_currency`, so every page reads it where it reads its data. A site published
without one labels money "(currency)", never a guessed code.
"""

from __future__ import annotations

import duckdb

from warehouse.frames import read_row

VARIABLE = "site_currency"
UNKNOWN = "currency"


def set_currency(con: duckdb.DuckDBPyConnection, code: str | None) -> None:
    """Keep `code` (e.g. 'EUR'; None: unknown) for the pages published from `con`."""
    con.execute(f"set variable {VARIABLE} = ?", [code])


def currency_code(con: duckdb.DuckDBPyConnection) -> str:
    """The code the publisher was given, or 'currency' when it was given none."""
    (code,) = read_row(con, f"select getvariable('{VARIABLE}')")
    return code or UNKNOWN
