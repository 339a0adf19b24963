"""The sparkline rule (reports/site/spark_rule.py) on exact ranges: which days each point
covers, and which points are gaps."""

from datetime import date, timedelta

from reports.site.spark_rule import browser_rule, is_gap, spark_windows

LAST = date(2011, 1, 10)


def test_a_point_per_day_up_to_31_days_then_per_7_days_back_from_the_last() -> None:
    """Catches: a month plotted weekly (or a quarter daily), weeks counted from the first day
    instead of back from the last, and a part week kept as a point of fewer days."""
    month = spark_windows(LAST - timedelta(days=30), LAST)
    assert len(month) == 31 and all(first == last for first, last in month)
    assert month[0][0] == LAST - timedelta(days=30) and month[-1] == (LAST, LAST)
    longer = spark_windows(LAST - timedelta(days=31), LAST)  # 32 days: 4 weeks, 4 days left out
    assert longer == [
        (LAST - timedelta(days=7 * back + 6), LAST - timedelta(days=7 * back))
        for back in (3, 2, 1, 0)
    ]
    assert spark_windows(LAST, LAST) == [(LAST, LAST)]


def test_a_point_is_a_gap_only_when_all_its_days_are_closed() -> None:
    """Catches: a week with one closed day dropped from a gapped sparkline."""
    saturday = date(2011, 1, 8)
    assert is_gap((saturday, saturday), {saturday})
    assert not is_gap((date(2011, 1, 4), LAST), {saturday})
    assert is_gap((saturday, date(2011, 1, 9)), {saturday, date(2011, 1, 9)})
    assert browser_rule({"conversion_rate"}) == {
        "daily_up_to": 31,
        "step": 7,
        "gaps": ["conversion_rate"],
    }
