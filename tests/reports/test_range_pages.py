"""The range tiles of the data-quality page as published (no browser): check evaluations
are dated by the newest export day loaded when they ran."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

TILE = r'data-kpi="{}"><div class="label">[^<]*</div><div class="value">([^<]*)</div>'


def tile(page: Path, key: str) -> str:
    return re.search(TILE.format(key), page.read_text()).group(1)


def test_a_check_evaluated_before_any_load_has_no_export_day_and_breaks_nothing(
    publish_warehouse: Callable[..., Path],
) -> None:
    """Catches: a check evaluated before the first export was loaded (no export day to date
    it by) failing the whole site's publication (a null day in the page's daily sums), or
    counted on a day it never judged."""
    site = publish_warehouse(
        sql="insert into quality.check_results values ('run-early', 'raw/orders',"
        " 'rows_reconcile', 'ERROR', false, 'before any load', '{}', '2010-01-01 00:00')"
    )
    page = site / "quality.html"
    # The tiny warehouse's five evaluations, all after its loads; the early one is left out.
    assert tile(page, "check_evaluations") == "5"
    assert tile(page, "check_evaluations_failed") == "2"
