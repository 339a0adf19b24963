"""Weekly and monthly buckets, with real statsforecast on hand-made short, sparse and
monthly series: the series, the horizon's dates, the error sums and the lead time."""

import datetime as dt

import polars as pl
import pytest

from config.settings import ForecastingSettings, InventorySettings
from forecasting.auto_bucket import choose_buckets, fixed_buckets
from forecasting.bucket_series import bucket_series
from forecasting.bucketed import bucket_demand, evaluate_by_bucket
from forecasting.buckets import bucket_plan, planning_weekdays, steps_after
from forecasting.demand import demand_series
from forecasting.models import ROUTES
from forecasting.reorder import reorder_recommendations
from tests.forecasting.whole_forecast import forecast_by_bucket

NO_SATURDAY = (1, 2, 3, 4, 5, 7)
FIRST_MONTH = dt.date(2022, 1, 1)


def _mart(sales: dict[str, dict[dt.date, float]], last_day: dt.date, stockouts=()) -> pl.DataFrame:
    """marts.sku_demand_daily for a shop closed on Saturdays: one row per SKU and day from
    its first sale to ``last_day``, the units on the given days, zero on the others."""
    rows = []
    for sku, by_day in sales.items():
        day = min(by_day)
        while day <= last_day:
            rows.append(
                {
                    "sku": sku,
                    "day": day,
                    "is_trading_day": day.isoweekday() in NO_SATURDAY,
                    "is_partial_day": False,
                    "demand_units": by_day.get(day, 0.0),
                    "is_stockout": (sku, day) in stockouts,
                }
            )
            day += dt.timedelta(days=1)
    return pl.DataFrame(rows)


def _months(count: int, first: dt.date = FIRST_MONTH) -> list[dt.date]:
    index = first.year * 12 + first.month - 1
    return [dt.date((index + m) // 12, (index + m) % 12 + 1, 1) for m in range(count)]


def _monthly_sales(units_by_month: list[float], first: dt.date = FIRST_MONTH) -> dict:
    """Sales booked on the first day of each month, as a monthly history is exported."""
    return dict(zip(_months(len(units_by_month), first), units_by_month, strict=True))


def _settings(**fields) -> ForecastingSettings:
    base = {
        "bucket": "month",
        "horizon": 3,
        "backtest_windows": 2,
        "backtest_min_train_days": 30,
        "trading_weekdays": NO_SATURDAY,
        "history_days": 5000,
        "min_active_days": 5000,
    }
    return ForecastingSettings(**(base | fields))


def test_months_whose_first_day_is_a_saturday_keep_their_sales():
    """Bug: monthly data went through the daily series, which keep trading days only, so
    every month whose first day is a Saturday (2022-01, 2022-10, 2023-04 ...) vanished."""
    units = [float(10 + m) for m in range(24)]
    mart = _mart({"PART": _monthly_sales(units)}, last_day=dt.date(2023, 12, 31))
    daily = demand_series(mart, history_days=5000, min_active_days=5000)
    saturdays = [m for m in _months(24) if m.isoweekday() == 6]
    assert saturdays and not set(saturdays) & set(daily["ds"])  # the bug, in daily buckets
    monthly = bucket_series(mart, "month", history_days=5000, min_active_days=5000)
    assert monthly["ds"].to_list() == _months(24)
    assert monthly["y"].to_list() == units


def test_weeks_are_iso_weeks_and_keep_closed_day_sales():
    """Bug: a weekly sum skipping closed weekdays loses a Saturday sale; weeks must start
    on Monday, and the running week is not history."""
    sales = {dt.date(2024, 1, 6): 4.0, dt.date(2024, 1, 8): 1.0, dt.date(2024, 1, 17): 2.0}
    mart = _mart({"MUG": sales}, last_day=dt.date(2024, 1, 24))  # a Wednesday
    weekly = bucket_series(mart, "week", history_days=5000, min_active_days=5000)
    assert weekly["ds"].to_list() == [
        dt.date(2024, 1, 1),
        dt.date(2024, 1, 8),
        dt.date(2024, 1, 15),
    ]
    assert weekly["y"].to_list() == [4.0, 1.0, 2.0]


def test_the_running_month_is_not_history_and_stockout_days_are_scaled():
    """Bug: the current month's first days read as a whole month (a slump), and a month with
    stockout days read as low demand."""
    sales = {dt.date(2024, 1, d): 1.0 for d in range(1, 32)} | {
        dt.date(2024, 2, d): 1.0 for d in range(1, 16)
    }
    stockouts = {("MUG", dt.date(2024, 2, d)) for d in range(16, 30)}
    mart = _mart({"MUG": sales | {dt.date(2024, 3, 1): 1.0}}, dt.date(2024, 3, 10), stockouts)
    monthly = bucket_series(mart, "month", history_days=5000, min_active_days=5000)
    assert monthly["ds"].to_list() == [dt.date(2024, 1, 1), dt.date(2024, 2, 1)]
    # February: 15 units on its 15 observed days of 29: scaled to 29 (with 14 observed
    # days, fewer than half, the month would be left out)
    assert monthly["y"].to_list() == pytest.approx([31.0, 29.0])


def test_history_start_zero_fills_before_the_first_sale():
    """Bug: a spare part first sold in month 5 started its series there although it was on
    sale (and sold nothing) before; with series_start history_start it starts at the window."""
    mart = _mart(
        {"OLD": _monthly_sales([1.0] * 12), "NEW": _monthly_sales([3.0] * 8, dt.date(2022, 5, 1))},
        last_day=dt.date(2022, 12, 31),
    )
    first = bucket_series(mart, "month", 365, 365)
    full = bucket_series(mart, "month", 365, 365, series_start="history_start")
    assert first.filter(pl.col("unique_id") == "NEW")["ds"].min() == dt.date(2022, 5, 1)
    new = full.filter(pl.col("unique_id") == "NEW")
    assert new["ds"].to_list() == _months(12)
    assert new["y"].to_list() == [0.0] * 4 + [3.0] * 8


def test_bucket_plans_count_in_the_bucket():
    """Bug: "7-day" sums became 7-month sums, a weekly season 6 months, the horizon and the
    training history stayed counts of days."""
    cfg = _settings(horizon=6, backtest_min_train_days=56)
    month = bucket_plan(cfg, "month")
    assert (month.horizon, month.season, month.sum_steps, month.min_train) == (6, 12, 1, 3)
    week = bucket_plan(cfg, "week")
    assert (week.season, week.sum_steps, week.min_train) == (52, 1, 10)
    day = bucket_plan(cfg, "day")
    assert (day.horizon, day.season, day.sum_steps, day.min_train) == (6, 6, 7, 56)
    # auto: the horizon counts trading days; 28 of them span 32.7 calendar days
    auto = _settings(bucket="auto", horizon=28)
    assert [bucket_plan(auto, b).horizon for b in ("day", "week", "month")] == [28, 5, 2]
    assert steps_after(dt.date(2024, 1, 1), 3, month) == _months(3, dt.date(2024, 2, 1))


@pytest.fixture(scope="module")
def monthly_run():
    """Three parts over two years of monthly data: steady, sparse (one sale a quarter) and
    short (five months, shorter than the yearly season), backtested and forecast."""
    mart = _mart(
        {
            "STEADY": _monthly_sales([30.0] * 25),  # January 2024 booked on its 1st
            "SPARSE": _monthly_sales([6.0 if m % 3 == 0 else 0.0 for m in range(24)]),
            "SHORT": _monthly_sales([2.0, 0.0, 3.0, 1.0, 2.0], dt.date(2023, 8, 1)),
        },
        last_day=dt.date(2024, 1, 10),  # January is running: December is the last month
    )
    cfg = _settings()
    groups = bucket_demand(mart, cfg).series
    evaluation = evaluate_by_bucket(groups, cfg)
    live = evaluation.model_choice.filter(pl.col("used_for") == "forecast")
    forecast = forecast_by_bucket(groups, live, cfg, history_end=dt.date(2024, 1, 10))
    return mart, cfg, evaluation, forecast


def test_monthly_windows_score_each_month_not_seven(monthly_run):
    """Bug: the class choice summed 7 steps, which in monthly buckets are 7 months; a
    window of the horizon must be 3 months, scored month by month."""
    _, _, evaluation, _ = monthly_run
    backtest = evaluation.backtest.filter(pl.col("reason").is_null())
    holdout = backtest.filter((pl.col("sku") == "STEADY") & (pl.col("window") == 2))
    assert set(holdout["first_day"]) == {dt.date(2023, 10, 1)}
    assert set(holdout["last_day"]) == {dt.date(2023, 12, 1)}
    assert set(holdout["days"]) == {3}
    assert (backtest["abs_error_7d"] - backtest["abs_error"]).abs().max() < 1e-9
    # one bucket for every SKU: the classes keep their plain names
    assert set(evaluation.model_choice["demand_pattern"]) <= {
        "smooth",
        "erratic",
        "intermittent",
        "lumpy",
    }


def test_a_seasonal_model_is_excluded_on_a_series_shorter_than_a_year(monthly_run):
    """Bug: a yearly season on a five-month series gives no forecast, which must exclude the
    model for that part, never score as a forecast."""
    _, _, evaluation, forecast = monthly_run
    short = evaluation.backtest.filter(
        (pl.col("sku") == "SHORT") & (pl.col("model") == "SeasonalNaive")
    )
    assert short.is_empty() or short["reason"].is_not_null().all()
    assert forecast.filter(pl.col("sku") == "SHORT").height > 0


def test_the_horizon_lands_in_the_next_three_months(monthly_run):
    """Bug: monthly steps were mapped to trading days, so a 3-month horizon ended three
    trading days later; it must cover the running month's remaining days and the next two."""
    _, _, _, forecast = monthly_run
    for sku in ("STEADY", "SPARSE", "SHORT"):
        days = forecast.filter(pl.col("sku") == sku)["day"]
        assert days.min() == dt.date(2024, 1, 11) and days.max() == dt.date(2024, 3, 31)
        assert days.len() == 81  # every calendar day, Saturdays too
    steady = forecast.filter(pl.col("sku") == "STEADY")
    by_month = steady.group_by(pl.col("day").dt.month()).agg(pl.col("forecast").sum()).sort("day")
    # 30 a month: 21 of January's 31 days are left, then February and March whole
    assert by_month["forecast"].to_list() == pytest.approx([30 * 21 / 31, 30, 30], rel=0.02)
    assert steady["model"][0] != "Zero" and (steady["hi_95"] >= steady["forecast"]).all()


def test_a_30_day_lead_time_is_a_month_of_demand_not_26_months(monthly_run):
    """Bug: a 30-day lead time became 26 steps, 26 months of a monthly series. The reorder
    plans in calendar days whatever the bucket: its lead-time demand is one month's units."""
    mart, cfg, _, forecast = monthly_run
    weekdays = planning_weekdays(cfg)
    history = mart.filter(pl.col("sku") == "STEADY").select(
        "sku", "day", pl.col("demand_units").alias("units")
    )
    catalog = pl.DataFrame(
        {
            "sku": ["STEADY"],
            "unit_cost": [2.0],
            "lead_time_days": [30.0],
            "lead_time_std_days": [0.0],
            "moq": [1],
            "pack_size": [1],
            "is_product": [True],
            "description": ["a steady part"],
        }
    )
    stock = pl.DataFrame(
        {"sku": ["STEADY"], "on_hand": [5], "on_order": [0]},
        schema={"sku": pl.String, "on_hand": pl.Int64, "on_order": pl.Int64},
    )
    row = reorder_recommendations(
        forecast.filter(pl.col("sku") == "STEADY"),
        history,
        catalog,
        stock,
        pl.DataFrame({"sku": ["STEADY"], "abc_class": ["A"]}),
        dt.date(2024, 1, 10),
        InventorySettings(review_period_days=7),
        weekdays,
    ).row(0, named=True)
    # 30 units a month: the 30 days hold one month (26 trading days would hold 28 units)
    assert 29 <= row["lead_time_demand"] <= 35
    assert 4.5 <= row["days_of_cover"] <= 5.5  # 5 on hand at the forecast's unit a day
    assert row["order_qty"] > 0 and row["needed_by"] == dt.date(2024, 1, 10)


def _three_movers() -> pl.DataFrame:
    """Two years of a SKU selling every trading day, one selling on Wednesdays and one
    selling every other month."""
    last = dt.date(2023, 12, 31)
    days = [FIRST_MONTH + dt.timedelta(days=n) for n in range((last - FIRST_MONTH).days + 1)]
    return _mart(
        {
            "DAILY": {d: 1.0 for d in days if d.isoweekday() in NO_SATURDAY},
            "WEEKLY": {d: 2.0 for d in days if d.isoweekday() == 3},
            "MONTHLY": {m: 5.0 for m in _months(24)[::2]},
        },
        last,
    )


def test_auto_puts_slow_movers_in_months():
    """Bug: a part selling a few times a year was forecast day by day, where forecasting
    zero wins; auto takes the finest bucket in which the SKU sells in half the buckets."""
    mart = _three_movers()
    every = {b: bucket_series(mart, b, 5000, 5000) for b in ("day", "week", "month")}
    chosen = choose_buckets(every)
    assert dict(chosen.select("sku", "bucket").iter_rows()) == {
        "DAILY": "day",
        "MONTHLY": "month",
        "WEEKLY": "week",
    }
    # the reason gives the shares the rule judged, in every bucket
    assert chosen.filter(pl.col("sku") == "MONTHLY")["reason"][0] == (
        "monthly: sells on 2 % of its 625 trading days, in 11 % of its 105 weeks, "
        "in 50 % of its 24 months"
    )


def test_daily_history_start_fills_trading_days_only():
    """Bug: zero-filling a daily series before the first sale with every calendar day would
    invent Saturdays, days the shop is closed, as days of zero demand."""
    mart = _mart(
        {"OLD": {dt.date(2024, 1, 1): 1.0}, "NEW": {dt.date(2024, 1, 10): 2.0}},
        last_day=dt.date(2024, 1, 14),
    )
    full = bucket_series(mart, "day", 5000, 5000, series_start="history_start")
    new = full.filter(pl.col("unique_id") == "NEW")
    assert new["ds"].min() == dt.date(2024, 1, 1)
    assert dt.date(2024, 1, 6) not in new["ds"].to_list()  # a Saturday
    assert new.filter(pl.col("ds") < dt.date(2024, 1, 10))["y"].sum() == 0
    assert new.height == full.filter(pl.col("unique_id") == "OLD").height


def test_a_set_bucket_gives_every_sku_its_share_in_that_bucket():
    """Bug: with ``forecasting.bucket`` set (not auto) the reason lost the SKU's selling
    share, or building it failed (a weekly SKU selling in 2 of 4 weeks must read
    "sells in 50 % of its 4 weeks", not the share of some other bucket)."""
    weeks = [dt.date(2024, 1, 1) + dt.timedelta(weeks=n) for n in range(4)]
    series = pl.DataFrame(
        {"unique_id": ["B"] * 4 + ["A"] * 2, "ds": weeks + weeks[:2], "y": [0, 3, 0, 1, 2, 2]},
        schema={"unique_id": pl.String, "ds": pl.Date, "y": pl.Float64},
    )
    assert fixed_buckets(series, "week").rows() == [
        ("A", "week", "set: forecasting.bucket week; sells in 100 % of its 2 weeks"),
        ("B", "week", "set: forecasting.bucket week; sells in 50 % of its 4 weeks"),
    ]


def test_bucket_demand_groups_the_series_by_the_chosen_or_the_set_bucket():
    """Bugs caught: a set ``forecasting.bucket`` ignored (every SKU sent through auto's
    choice) or auto ignored (every SKU forecast in one bucket); a SKU's series put in a
    bucket other than the one its row in ``forecasts.sku_bucket`` names."""
    mart = _three_movers()

    def grouped(bucket: str) -> tuple[dict, dict]:
        result = bucket_demand(mart, _settings(bucket=bucket))
        series = {b: sorted(s["unique_id"].unique()) for b, s in result.series.items()}
        return series, dict(result.buckets.select("sku", "bucket").iter_rows())

    series, buckets = grouped("auto")
    assert series == {"day": ["DAILY"], "week": ["WEEKLY"], "month": ["MONTHLY"]}
    assert buckets == {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month"}
    series, buckets = grouped("week")
    assert series == {"week": ["DAILY", "MONTHLY", "WEEKLY"]}
    assert buckets == {"DAILY": "week", "WEEKLY": "week", "MONTHLY": "week"}


def test_auto_forecasts_each_bucket_with_its_own_choice_labelled_and_spread_over_days():
    """Bugs caught: under auto, a bucket whose classes have a choice forecast with the prior
    order instead (the chosen models ignored); the weekly and monthly classes' forecasts
    losing their bucket in demand_pattern ("smooth" for "smooth (weekly)"), so they mix
    with the daily ones downstream; a week spread over no days (its end before its start).

    Every class chooses HistoricAverage, the mean of its history: DAILY sells 1 a trading
    day (28 trading days from 2024-01-01: 28 units); WEEKLY 2 a week, spread as 2/7 over
    each of the 35 days of 5 weeks; MONTHLY 5 every other month, 2.5 a month, spread over
    January's 31 and February's 29 days."""
    cfg = _settings(bucket="auto", horizon=28)
    groups = bucket_demand(_three_movers(), cfg).series
    labels = [f"{pattern}{per}" for pattern in ROUTES for per in ("", " (weekly)", " (monthly)")]
    choices = pl.DataFrame(
        {"demand_pattern": labels, "model": ["HistoricAverage"] * len(labels), "rank": 1}
    )
    forecast = forecast_by_bucket(groups, choices, cfg, history_end=dt.date(2023, 12, 31))
    assert set(forecast["model"]) == {"HistoricAverage"}
    by_sku = forecast.group_by("sku").agg(
        pl.col("demand_pattern").unique(), pl.len(), pl.col("forecast").sum()
    )
    patterns = {sku: pattern for sku, pattern, _, _ in by_sku.iter_rows()}
    assert patterns == {
        "DAILY": ["smooth"],
        "WEEKLY": ["smooth (weekly)"],
        "MONTHLY": ["intermittent (monthly)"],
    }
    assert {sku: (days, round(total, 9)) for sku, _, days, total in by_sku.iter_rows()} == {
        "DAILY": (28, 28.0),
        "WEEKLY": (35, 10.0),
        "MONTHLY": (60, 5.0),
    }
    weekly = forecast.filter(pl.col("sku") == "WEEKLY")
    assert weekly["day"].to_list() == [
        dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(35)
    ]
    assert weekly["forecast"].to_list() == pytest.approx([2 / 7] * 35)
    monthly = forecast.filter(pl.col("sku") == "MONTHLY")["forecast"].to_list()
    assert monthly == pytest.approx([2.5 / 31] * 31 + [2.5 / 29] * 29)
