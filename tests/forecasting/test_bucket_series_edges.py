"""Weekly series at their edges: the window's first bucket, which SKUs are active, and the
censoring rules (stockout days, unknown stock, returns) on hand-made marts."""

import datetime as dt

import polars as pl

from forecasting.bucket_series import bucket_series
from forecasting.demand import SKU_DEMAND_COLUMNS
from tests.forecasting.test_buckets import _mart

JAN_1 = dt.date(2024, 1, 1)  # a Monday


def _day(n: int) -> dt.date:
    return JAN_1 + dt.timedelta(days=n)


def _rows(series: pl.DataFrame) -> list[tuple]:
    return series.select("ds", "y").rows()


def test_the_window_starts_on_the_first_whole_week_inside_it():
    """Bugs caught: the window's first day taken one or two days early (history_days - 0
    or + 1 for - 1), which lets in the week starting just before the window; and a window
    holding exactly one complete week returned empty (``<=`` for ``<``). The mart ends on
    Sunday 31 March: 14 days start on Monday the 18th, 13 and 12 days on Tuesday the 19th
    and Wednesday the 20th (so the first whole week is the 25th's), 7 days on the 25th."""
    last = dt.date(2024, 3, 31)
    days = [JAN_1 + dt.timedelta(days=n) for n in range((last - JAN_1).days + 1)]
    mart = _mart({"A": dict.fromkeys(days, 1.0)}, last)
    first_weeks = {
        history: bucket_series(mart, "week", history, 5000)["ds"].to_list()
        for history in (14, 13, 12, 7)
    }
    assert first_weeks == {
        14: [dt.date(2024, 3, 18), dt.date(2024, 3, 25)],
        13: [dt.date(2024, 3, 25)],
        12: [dt.date(2024, 3, 25)],
        7: [dt.date(2024, 3, 25)],
    }


def test_only_a_sale_inside_the_last_min_active_days_keeps_a_sku():
    """Bugs caught: a SKU whose last sale is exactly min_active_days before the last day
    counted active (``>=`` for ``>``: the 7 days are the last day and the 6 before it), or
    a SKU with zero-demand days but no sale in them counted active (``demand_units >= 0``
    or ``> -1`` for ``> 0``)."""
    last = _day(41)  # Sunday 11 February
    mart = _mart(
        {
            "RECENT": {JAN_1: 1.0, last - dt.timedelta(days=6): 2.0},
            "EDGE": {JAN_1: 1.0, last - dt.timedelta(days=7): 2.0},
            "ZEROS": {JAN_1: 1.0},
        },
        last,
    )
    assert bucket_series(mart, "week", 5000, 7)["unique_id"].unique().to_list() == ["RECENT"]


def test_stockout_unknown_stock_and_returns_in_weekly_sums():
    """Bugs caught, one week each (the SKU sells 1 unit a day from Thursday 4 January):
    - its first week, 4 days observed on 2 (half): kept and scaled to 4 (``>`` for ``>=``
      drops it);
    - observed on 3 of 7 days: left out (``3 * observed >= days`` keeps it);
    - a week without stock counts (is_stockout NULL) is in stock, 7 units (NULL read as a
      stockout drops the week);
    - a net return of 3 units on Monday counts as 0 demand, 6 units (clipped at -1: 5);
    - the window's first day belongs to it: 21 days end Sunday 4 February and start on
      Monday 15 January, whose sale counts (``day > first_day`` makes that week 6 units).
    """
    last = _day(34)
    days = [_day(n) for n in range(3, 35)]
    stockouts = {_day(3), _day(4), _day(7), _day(8), _day(9), _day(10)}
    unknown = {_day(n) for n in range(14, 21)}
    mart = _mart({"C": dict.fromkeys(days, 1.0)}, last).with_columns(
        pl.when(pl.col("day").is_in(sorted(unknown)))
        .then(None)
        .otherwise(pl.col("day").is_in(sorted(stockouts)))
        .alias("is_stockout"),
        pl.when(pl.col("day") == _day(21))
        .then(-3.0)
        .otherwise(pl.col("demand_units"))
        .alias("demand_units"),
    )
    assert _rows(bucket_series(mart, "week", 5000, 5000)) == [
        (_day(0), 4.0),
        (_day(14), 7.0),
        (_day(21), 6.0),
        (_day(28), 7.0),
    ]
    assert _rows(bucket_series(mart, "week", 21, 5000)) == [
        (_day(14), 7.0),
        (_day(21), 6.0),
        (_day(28), 7.0),
    ]


def test_an_empty_mart_gives_an_empty_weekly_series():
    """Bug caught: an empty mart (a shop's first run) sent past the early return, where
    the window's dates are computed from a last day that does not exist (``and`` for
    ``or`` between the missing-columns and the empty checks)."""
    empty = pl.DataFrame(
        schema={
            "sku": pl.String,
            "day": pl.Date,
            "is_trading_day": pl.Boolean,
            "is_partial_day": pl.Boolean,
            "demand_units": pl.Float64,
            "is_stockout": pl.Boolean,
        }
    )
    assert set(SKU_DEMAND_COLUMNS) <= set(empty.columns)
    series = bucket_series(empty, "month", 5000, 5000)
    assert series.is_empty() and series.columns == ["unique_id", "ds", "y"]


def test_daily_zero_fill_starts_on_the_windows_first_day():
    """Bug caught: the trading days a daily ``history_start`` series is zero-filled on
    taken from one day before the window (``>=`` for ``>``): 10 days ending Sunday 14
    January start on Friday the 5th, and Thursday the 4th is not history (the series of
    the SKU selling every day starts on the 5th too)."""
    last = _day(13)
    mart = _mart(
        {"OLD": {_day(n): 1.0 for n in range(14)}, "NEW": {_day(9): 2.0}},
        last,
    )
    full = bucket_series(mart, "day", 10, 5000, series_start="history_start")
    starts = dict(full.group_by("unique_id").agg(pl.col("ds").min()).iter_rows())
    assert starts == {"OLD": _day(4), "NEW": _day(4)}
