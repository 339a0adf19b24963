import datetime as dt

import numpy as np
import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.buckets import season_steps
from forecasting.demand import classify_demand, demand_series
from forecasting.forecast import check_forecast_settings, forecast_demand, prepare_series
from forecasting.selection import class_choices

# No backtest evidence: every class falls back to its pool's prior order (forecasting/models.py).
PRIOR = class_choices(
    pl.DataFrame(
        schema={
            "sku": pl.String,
            "model": pl.String,
            "actual": pl.Float64,
            "abs_error_7d": pl.Float64,
        }
    ),
    pl.DataFrame(schema={"sku": pl.String, "demand_pattern": pl.String}),
    ["TSB", "SeasonalESOptimized", "SeasonalNaive"],
    top=1,
)

CLOSED_SATURDAY = (1, 2, 3, 4, 5, 7)
LAST_DAY = dt.date(2024, 6, 28)  # a Friday: the next trading day is Sunday 30 June


def _mart() -> pl.DataFrame:
    rng = np.random.default_rng(42)
    days = pl.date_range(LAST_DAY - dt.timedelta(days=200), LAST_DAY, eager=True)
    weekly = np.array([1.2, 1.0, 1.0, 1.0, 1.1, 0.0, 0.7])[days.dt.weekday().to_numpy() - 1]
    demand = {
        "SMOOTH": rng.poisson(30 * weekly),
        "SPARSE": rng.poisson(0.15, len(days)) * 4,  # a sale every ~7 days, always 4 units
        "LAUNCH": rng.poisson(5, len(days)),
    }
    mart = pl.concat(
        [
            pl.DataFrame(
                {
                    "sku": sku,
                    "day": days,
                    "is_trading_day": days.dt.weekday() != 6,
                    "demand_units": units,
                    "is_stockout": False,
                    "is_partial_day": False,
                }
            )
            for sku, units in demand.items()
        ]
    )
    # the mart starts each SKU at its first sale: LAUNCH was launched three weeks ago
    return mart.filter(
        (pl.col("sku") != "LAUNCH") | (pl.col("day") > LAST_DAY - dt.timedelta(days=21))
    )


@pytest.fixture(scope="module")
def forecast() -> pl.DataFrame:
    series = demand_series(_mart(), history_days=365, min_active_days=90)
    return forecast_demand(
        series,
        classify_demand(series),
        PRIOR,
        14,
        ForecastingSettings(trading_weekdays=CLOSED_SATURDAY),
    )


def test_forecast_columns_and_shape(forecast):
    assert forecast.columns == [
        "sku",
        "day",
        "forecast",
        "lo_80",
        "hi_80",
        "lo_95",
        "hi_95",
        "model",
        "demand_pattern",
    ]
    assert forecast.schema["day"] == pl.Date
    assert forecast.group_by("sku").len().sort("sku").rows() == [
        ("LAUNCH", 14),
        ("SMOOTH", 14),
        ("SPARSE", 14),
    ]


def test_forecast_days_are_the_next_trading_days(forecast):
    days = forecast.filter(pl.col("sku") == "SMOOTH")["day"].to_list()
    assert days[0] == dt.date(2024, 6, 30)
    assert all(d > LAST_DAY and d.isoweekday() != 6 for d in days)
    # 12 trading days (two 6-day weeks) end on Friday 12 July; then Sunday 14, Monday 15
    assert days[-1] == dt.date(2024, 7, 15)
    assert len(set(days)) == 14


def test_forecast_is_non_negative_and_inside_its_intervals(forecast):
    assert (
        forecast.select(
            pl.min_horizontal("forecast", "lo_80", "hi_80", "lo_95", "hi_95").min()
        ).item()
        >= 0
    )
    ordered = forecast.filter(
        (pl.col("lo_95") <= pl.col("lo_80"))
        & (pl.col("lo_80") <= pl.col("forecast"))
        & (pl.col("forecast") <= pl.col("hi_80"))
        & (pl.col("hi_80") <= pl.col("hi_95"))
    )
    assert ordered.height == forecast.height


def test_forecast_routes_models_by_pattern(forecast):
    routed = dict(
        forecast.select("sku", "model", "demand_pattern")
        .unique()
        .sort("sku")
        .select("sku", pl.concat_str("demand_pattern", "model", separator="/"))
        .iter_rows()
    )
    assert routed == {
        "SMOOTH": "smooth/SeasonalESOptimized",
        "SPARSE": "intermittent/TSB",
        "LAUNCH": "smooth/HistoricAverage",  # 18 trading days: too short for conformal intervals
    }


def test_forecast_levels_are_plausible(forecast):
    mean = forecast.group_by("sku").agg(pl.col("forecast").mean()).sort("sku")["forecast"].to_list()
    launch, smooth, sparse = mean
    assert 25 < smooth < 40  # weekly mean of the trading days is ~30 * 6/6
    assert 0.3 < sparse < 1.0  # 0.15 sales a day x 4 units = 0.6
    assert 3 < launch < 7


def test_forecast_is_deterministic(forecast):
    series = demand_series(_mart(), history_days=365, min_active_days=90)
    again = forecast_demand(
        series,
        classify_demand(series),
        PRIOR,
        14,
        ForecastingSettings(trading_weekdays=CLOSED_SATURDAY),
    )
    assert again.equals(forecast)


def test_season_is_counted_in_trading_days():
    assert season_steps(7, CLOSED_SATURDAY) == 6
    assert season_steps(7, range(1, 8)) == 7


def test_forecast_names_unclassified_series():
    series = pl.DataFrame({"unique_id": ["A"], "ds": [LAST_DAY], "y": [1.0]})
    with pytest.raises(ValueError, match="'A'"):
        forecast_demand(
            series,
            pl.DataFrame({"sku": ["B"], "demand_pattern": ["smooth"]}),
            PRIOR,
            7,
            ForecastingSettings(),
        )


def test_a_series_that_ends_early_is_forecast_from_the_shops_last_day():
    import datetime as dt

    import polars as pl

    from forecasting.demand import classify_demand
    from forecasting.forecast import forecast_demand

    days = pl.date_range(dt.date(2011, 1, 2), dt.date(2011, 3, 31), eager=True)
    days = days.filter(days.dt.weekday() != 6)
    full = pl.DataFrame(
        {"unique_id": "A", "ds": days, "y": [float(i % 5) for i in range(len(days))]}
    )
    short = full.filter(pl.col("ds") <= dt.date(2011, 3, 20)).with_columns(
        pl.lit("B").alias("unique_id")
    )
    series = pl.concat([full, short])
    forecast = forecast_demand(series, classify_demand(series), PRIOR, 10, ForecastingSettings())
    for sku in ("A", "B"):
        rows = forecast.filter(pl.col("sku") == sku)
        assert rows.height == 10
        assert rows["day"].min() == dt.date(2011, 4, 1)  # the first trading day after 03-31


def _choices(*models: str) -> pl.DataFrame:
    """Every demand pattern averages `models`, ranked in the given order."""
    patterns = ["smooth", "erratic", "intermittent", "lumpy"]
    return pl.DataFrame(
        {
            "demand_pattern": patterns * len(models),
            "model": [m for m in models for _ in patterns],
            "rank": [rank for rank in range(1, len(models) + 1) for _ in patterns],
            "wape_7d": None,
        },
        schema={
            "demand_pattern": pl.String,
            "model": pl.String,
            "rank": pl.Int64,
            "wape_7d": pl.Float64,
        },
    )


def test_a_class_mean_is_the_day_by_day_mean_of_its_models_forecasts():
    """Catches a mix whose point forecast is not the mean of its models' forecasts."""
    series = demand_series(_mart(), history_days=365, min_active_days=90)
    classes = classify_demand(series)

    def run(choices: pl.DataFrame) -> pl.DataFrame:
        return forecast_demand(
            series, classes, choices, 14, ForecastingSettings(trading_weekdays=CLOSED_SATURDAY)
        )

    mixed = run(_choices("TSB", "SeasonalESOptimized"))
    expected = (
        pl.concat([run(_choices("TSB")), run(_choices("SeasonalESOptimized"))])
        .group_by("sku", "day", maintain_order=True)
        .agg(pl.col("forecast").mean())
        .sort("sku", "day")
    )
    assert dict(mixed.select("sku", "model").unique().iter_rows()) == {
        "SMOOTH": "mean(TSB, SeasonalESOptimized)",
        "SPARSE": "mean(TSB, SeasonalESOptimized)",
        "LAUNCH": "HistoricAverage",  # too short for two windows of its own errors
    }
    assert mixed.height == expected.height == 3 * 14
    assert mixed["forecast"].to_list() == pytest.approx(expected["forecast"].to_list(), rel=1e-12)


def test_a_past_spike_widens_every_day_of_the_band_alike():
    """Catches the end-of-horizon jump: with per-step conformal scores over two windows, one
    past spike on step k of a calibration window widened day k of the band alone."""
    days = pl.date_range(dt.date(2024, 1, 1), dt.date(2024, 12, 31), eager=True)
    days = days.filter(days.dt.weekday() != 6).head(120)
    units = [5.0 + (i % 3) for i in range(120)]
    units[120 - 2 * 14 + 13] = 200.0  # day 14 of the first of the two 14-day windows
    series = pl.DataFrame({"unique_id": "SPIKE", "ds": days, "y": units})
    forecast = forecast_demand(
        series,
        classify_demand(series),
        _choices("SeasonalESOptimized", "TSB"),
        14,
        ForecastingSettings(trading_weekdays=CLOSED_SATURDAY),
    )
    assert forecast.height == 14
    for level in (80, 95):
        width = forecast[f"hi_{level}"] - forecast["forecast"]
        assert width.max() - width.min() < 1e-9, level
    # the spike is one of 28 errors: beyond the 80 % band's quantile, and the largest of the
    # 28 a one-SKU class has (its 95 % band must hold on 97.5 % of 29 days: the largest error)
    assert forecast["hi_80"].max() < 100
    assert forecast["hi_95"].min() > 200


def test_a_class_that_forecasts_zero_keeps_its_skus_with_zero_forecasts():
    """A class whose choice is Zero gets a zero forecast on every day of the horizon, and
    the others in the same run keep their models. Catches the zero forecast landing on
    steps before the series' end (it was numbered from 1), which dropped those SKUs from
    the table without a word."""
    series = demand_series(_mart(), history_days=365, min_active_days=90)
    classes = classify_demand(series)
    sparse = classes.filter(pl.col("sku") == "SPARSE")["demand_pattern"].item()
    choices = pl.concat(
        [
            PRIOR.filter(pl.col("demand_pattern") != sparse),
            pl.DataFrame(
                {"demand_pattern": [sparse], "model": ["Zero"], "rank": [1], "wape_7d": [None]},
                schema=PRIOR.schema,
            ),
        ]
    )
    settings = ForecastingSettings(trading_weekdays=CLOSED_SATURDAY)
    forecast = forecast_demand(series, classes, choices, 14, settings)
    zero = forecast.filter(pl.col("demand_pattern") == sparse)
    assert zero.group_by("sku").len().rows() == [("SPARSE", 14)]
    assert zero["model"].unique().to_list() == ["Zero"]
    assert zero["forecast"].to_list() == [0.0] * 14
    assert (zero["lo_95"] <= zero["forecast"]).all() and (zero["hi_95"] >= 0).all()
    smooth = forecast.filter(pl.col("sku") == "SMOOTH")
    assert smooth.height == 14 and smooth["model"].unique().to_list() != ["Zero"]


def test_a_new_sku_selling_under_a_unit_a_day_keeps_its_fraction():
    """Bug caught: the short-history model's forecast floored at 1 instead of 0 (only
    negative values are clipped), which would order a unit a day of a product selling one
    every third day. LAUNCH sells 1, 0, 0, ... on its 18 trading days of three weeks:
    HistoricAverage forecasts 6 / 18 = 1/3 a day."""
    days = pl.date_range(LAST_DAY - dt.timedelta(days=20), LAST_DAY, eager=True)
    trading = days.dt.weekday() != 6
    units, sold = [], 0
    for is_trading in trading:
        units.append(1 if is_trading and sold % 3 == 0 else 0)
        sold += int(is_trading)
    mart = pl.DataFrame(
        {
            "sku": "LAUNCH",
            "day": days,
            "is_trading_day": trading,
            "demand_units": units,
            "is_stockout": False,
            "is_partial_day": False,
        }
    )
    series = demand_series(mart, history_days=365, min_active_days=90)
    settings = ForecastingSettings(trading_weekdays=CLOSED_SATURDAY)
    forecast = forecast_demand(series, classify_demand(series), PRIOR, 14, settings)
    assert forecast["model"].unique().to_list() == ["HistoricAverage"]
    assert forecast["forecast"].to_list() == pytest.approx([6 / 18] * forecast.height)


def test_series_without_a_class_are_refused_naming_the_first():
    """Bug caught: the error for series missing from ``classes`` naming another series than
    the first of them by code (here the last, "C"), so the message points the reader at
    the wrong end of the list."""
    days = [LAST_DAY - dt.timedelta(days=n) for n in range(3)][::-1]
    series = pl.DataFrame(
        {"unique_id": [sku for sku in "ABC" for _ in days], "ds": days * 3, "y": [1.0] * 9}
    )
    classes = pl.DataFrame({"sku": ["X"], "demand_pattern": ["smooth"]})
    with pytest.raises(ValueError, match=r"no demand pattern for 3 series \(first: 'A'\)"):
        forecast_demand(series, classes, PRIOR, 2, ForecastingSettings())


def test_a_series_exactly_long_enough_for_bands_is_forecast_by_its_class_once():
    """Bugs caught: "too short" taken as at most (not under) the fewest observations the
    bands need, 2 windows x horizon 2 + 1 = 5, so a series of exactly 5 is both short and
    long enough: assigned the historic average and its class's model at once, its days
    forecast twice; or "long enough" taken as more than 5, so it is neither and is not
    forecast at all. EXACT (5 trading days) gets its class's model (the prior choice, no
    backtest), one row a day; SHORT (4) the historic average."""
    days = [d for d in (LAST_DAY - dt.timedelta(days=n) for n in range(7)) if d.weekday() != 5]
    days = sorted(days)[-5:]
    series = pl.DataFrame(
        {
            "unique_id": ["EXACT"] * 5 + ["SHORT"] * 4,
            "ds": days + days[1:],
            "y": [3.0, 4.0, 3.0, 5.0, 4.0, 3.0, 4.0, 3.0, 5.0],
        }
    )
    settings = ForecastingSettings(trading_weekdays=CLOSED_SATURDAY)
    classes = classify_demand(series)
    pattern = classes.filter(pl.col("sku") == "EXACT")["demand_pattern"].item()
    class_model = PRIOR.filter(pl.col("demand_pattern") == pattern)["model"].item()
    forecast = forecast_demand(series, classes, PRIOR, 2, settings)
    models = forecast.group_by("sku").agg(pl.col("model").unique(), pl.len()).sort("sku")
    assert models.rows() == [("EXACT", [class_model], 2), ("SHORT", ["HistoricAverage"], 2)]


def test_a_horizon_of_zero_is_refused():
    """Bug caught: the horizon check letting 0 through (< 0 for < 1), so a forecast of no
    day runs every model for nothing instead of naming the setting to fix."""
    with pytest.raises(ValueError, match="horizon must be at least 1 trading day, got 0"):
        check_forecast_settings(ForecastingSettings(), 0)


def test_each_series_last_day_is_its_last_row():
    """Bug caught: a series' last day read one row too early (first row + rows - 2), so
    its forecast would start on a day it already has. A ends on 3 January, B on 5."""
    days = [dt.date(2024, 1, d) for d in (1, 2, 3, 4, 5)]
    series = pl.DataFrame(
        {"unique_id": ["A"] * 3 + ["B"] * 5, "ds": days[:3] + days, "y": [1.0] * 8}
    )
    per_series = prepare_series(series, classify_demand(series)).per_series.sort("unique_id")
    assert per_series.select("unique_id", "observations", "last_day").rows() == [
        ("A", 3, dt.date(2024, 1, 3)),
        ("B", 5, dt.date(2024, 1, 5)),
    ]
