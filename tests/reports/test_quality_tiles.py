"""The data-quality page's KPI tiles, read from the site published from the tiny warehouse
with its load log and check results replaced by rows written here, against values worked
out by hand. Chosen so that the plausible wrong formulas disagree: files and days with very
different quarantined shares, a check whose state changed between two runs, two checks of
one name on different assets, a failed WARN check."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.reports.test_kpi_tiles import tiles

# Three export files: orders of 03-01 (10 of 100 rows quarantined) and 03-02 (20 of 50),
# traffic of 03-02 (none of 850); each loaded the night after its day.
LOADS = """
delete from quality.load_log;
insert into quality.load_log values
  ('orders', '2011-03-01', 'orders/2011-03-01.csv', 'generic', 100, 90, 10, '2011-03-02 01:00'),
  ('orders', '2011-03-02', 'orders/2011-03-02.csv', 'generic', 50, 30, 20, '2011-03-03 01:00'),
  ('traffic', '2011-03-02', 'traffic/2011-03-02.csv', 'generic', 850, 850, 0,
   '2011-03-03 01:00');
"""
# Two runs, the night after each load: run 1 judges export day 03-01, run 2 export day 03-02.
# rows_reconcile of raw/orders failed then passed; the same check of raw/traffic failed twice;
# the WARN check passed then failed; freshness ran in run 2 only.
CHECKS = """
delete from quality.check_results;
insert into quality.check_results values
  ('run-1', 'raw/orders', 'rows_reconcile', 'ERROR', false, '', '{}', '2011-03-02 02:00'),
  ('run-2', 'raw/orders', 'rows_reconcile', 'ERROR', true, '', '{}', '2011-03-03 02:00'),
  ('run-1', 'raw/traffic', 'rows_reconcile', 'ERROR', false, '', '{}', '2011-03-02 02:00'),
  ('run-2', 'raw/traffic', 'rows_reconcile', 'ERROR', false, '', '{}', '2011-03-03 02:00'),
  ('run-1', 'raw/orders', 'quarantine_share', 'WARN', true, '', '{}', '2011-03-02 02:00'),
  ('run-2', 'raw/orders', 'quarantine_share', 'WARN', false, '', '{}', '2011-03-03 02:00'),
  ('run-2', 'raw/orders', 'freshness', 'ERROR', true, '', '{}', '2011-03-03 02:00');
"""


QUALITY_TILES = (
    "rows_read",
    "rows_quarantined",
    "quarantine_rate",
    "check_evaluations",
    "check_evaluations_failed",
    "check_evaluations_warned",
    "checks_failed",
    "checks_warning",
    "checks_passed",
)


def test_quality_tiles(publish_warehouse: Callable[..., Path]) -> None:
    """Catches: the quarantined share as a mean of the files' or the days' shares, or over
    the rows loaded instead of read; the check states counting every evaluation instead of
    each check's newest, or one state per check name across assets; a failed WARN check
    counted as failed; evaluations failed counting WARN checks."""
    shown = tiles((publish_warehouse(sql=LOADS + CHECKS) / "quality.html").read_text())
    assert {key: shown[key] for key in QUALITY_TILES} == {
        "rows_read": "1,000",  # 100 + 50 + 850
        "rows_quarantined": "30",  # 10 + 20
        # 30 / 1,000 read (the files' mean (10 % + 40 % + 0) / 3 = 16.7 %; the days' mean
        # (10/100 + 20/900) / 2 = 6.1 %; over the 970 rows loaded 3.1 %)
        "quarantine_rate": "3.0 %",
        # every evaluation, on the export day it judged: 3 in run 1, 4 in run 2
        "check_evaluations": "7",
        # ERROR checks that failed: orders and traffic rows_reconcile in run 1, traffic's in
        # run 2 = 3 (with the WARN failure: 4)
        "check_evaluations_failed": "3",
        "check_evaluations_warned": "1",  # quarantine_share in run 2
        # each check's newest evaluation: traffic's rows_reconcile failed (every evaluation:
        # 3; one state per check name leaves one rows_reconcile of the two)
        "checks_failed": "1",
        "checks_warning": "1",  # quarantine_share (counted failed: 2 failed, 0 warning)
        "checks_passed": "2",  # orders' rows_reconcile and freshness (every evaluation: 3)
    }
