"""The demand forecast a batch of SKUs at a time, so its peak memory is a batch's.

forecasts.demand_forecast used to read the whole demand mart, build every series and run
every model before writing: its peak grew with the catalog (4.4 GB at 40,000 SKUs). Every
figure of a SKU's forecast is its own (its series, class, models and scale) except two,
which depend on every SKU of its bucket:

- how far the series are forecast: the horizon plus the steps by which the series that
  ends earliest (its last days were stockouts) ends before the shop's history
  (forecasting/forecast.py, :func:`~forecasting.forecast.steps_behind`);
- the band quantiles, pooled over the scaled past errors of every SKU in a class
  (forecasting/intervals.py).

So the forecast runs in two passes over the batches:

1. each batch of demand rows is turned into its series in their buckets (with the shop's
   last day and trading calendar, not the batch's), classified and numbered; its steps
   are kept in a Parquet file when there is more than one batch, in memory otherwise,
   and each bucket's furthest series end noted;
2. each batch's series are forecast with the bucket's common length, dated and cut
   (:func:`~forecasting.forecast.forecast_unbanded`); what is kept is the forecast rows
   and the calibration errors, not the series. Once the last batch is done each class's
   quantiles band every row (:func:`~forecasting.forecast.with_class_bands`).

The table is the same to the bit whatever the batch size: the rows are each SKU's own
arithmetic, and the quantiles and shares pooled per class are order-free (tested).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import polars as pl

from config.settings import ForecastingSettings
from forecasting.bucketed import as_days, bucket_choices, bucket_demand
from forecasting.buckets import bucket_plan
from forecasting.demand import classify_demand
from forecasting.forecast import (
    PreparedSeries,
    band_quantiles,
    check_forecast_settings,
    forecast_unbanded,
    output_schema,
    prepare_series,
    steps_behind,
    with_class_bands,
)
from forecasting.intervals import CLASS

# The forecast's peak grows with the SKUs of a batch, not with the catalog; the bench's
# SF1 (4,000 SKUs) is one batch, SF10 (40,000) ten.
FORECAST_BATCH_SKUS = 4_000


class ForecastTables(NamedTuple):
    demand_forecast: pl.DataFrame  # forecasts.demand_forecast without reliability
    sku_bucket: pl.DataFrame  # forecasts.sku_bucket
    # bucket, demand_pattern, q_lo_<level>, q_hi_<level>: the quantiles calibrated by this
    # forecast; None when it banded with the quantiles it was given
    band_quantiles: pl.DataFrame | None


class _Bucket(NamedTuple):
    """One batch's series of one bucket: their steps (or the Parquet file holding them),
    per-series figures and classes."""

    steps: pl.DataFrame | Path
    per_series: pl.DataFrame
    classes: pl.DataFrame


class PreparedBatches:
    """Pass 1's output: every batch's prepared series per bucket, the steps in ``folder``
    (one Parquet file per batch and bucket) or, without a folder, in memory."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.by_bucket: dict[str, list[_Bucket]] = {}
        self.behind: dict[str, int] = {}

    def add(self, bucket: str, prepared: PreparedSeries, classes: pl.DataFrame, behind: int):
        kept = self.by_bucket.setdefault(bucket, [])
        steps: pl.DataFrame | Path = prepared.steps
        if self.folder is not None:
            steps = self.folder / f"{bucket}-{len(kept):05d}.parquet"
            prepared.steps.write_parquet(steps, compression="uncompressed", statistics=False)
        kept.append(_Bucket(steps, prepared.per_series, classes))
        self.behind[bucket] = max(self.behind.get(bucket, 0), behind)

    def batches(self, bucket: str) -> Iterator[tuple[PreparedSeries, pl.DataFrame]]:
        """Each batch's prepared series of ``bucket`` and their classes, in batch order."""
        for kept in self.by_bucket.get(bucket, []):
            steps = kept.steps if isinstance(kept.steps, pl.DataFrame) else None
            if steps is None:
                steps = pl.read_parquet(kept.steps)
            yield PreparedSeries(steps, kept.per_series), kept.classes


def forecast_in_batches(
    demand_batches: Iterable[pl.DataFrame],
    choices: pl.DataFrame,
    settings: ForecastingSettings,
    history_end: dt.date,
    calendar: pl.DataFrame | None = None,
    spill: Path | None = None,
    quantiles: pl.DataFrame | None = None,
) -> ForecastTables:
    """forecasts.demand_forecast and forecasts.sku_bucket from the demand mart, a batch of
    SKUs at a time; the same tables as :func:`forecasting.bucketed.bucket_demand` and
    one forecast of the whole mart (tests/forecasting/whole_forecast.py).

    Args:
        demand_batches: ``marts.sku_demand_daily`` rows, every SKU's rows in one batch,
            each batch in series order (sku, day) and the batches in ascending sku order.
            The mart runs every SKU to the shop's last day; a batch that ends earlier is
            refused (its series would be cut at the wrong day).
        choices: forecasts.model_choice's forecast rows (demand_pattern, model, rank,
            combine).
        settings: the forecasting settings.
        history_end: the shop's last day of demand history (the mart's last day).
        calendar: with ``series_start: history_start``, the shop's trading days of the
            history window (:func:`forecasting.bucket_series.window_trading_days` of the
            whole mart); None otherwise.
        spill: a folder for the series between the passes; None keeps them in memory.
        quantiles: band quantiles calibrated by an earlier forecast (bucket,
            demand_pattern, q_lo_<level>, q_hi_<level>, as ``band_quantiles`` returns
            them): when they hold every class of every bucket, the past windows are not
            forecast and the bands use them; otherwise (or None) the forecast calibrates.
    """
    prepared = PreparedBatches(spill)
    sku_buckets = []
    for demand in demand_batches:
        if demand["day"].max() != history_end:
            raise ValueError(
                f"a batch of the demand mart ends on {demand['day'].max()}, not on the "
                f"shop's last day {history_end}: every SKU runs to the last day"
            )
        bucketed = bucket_demand(demand, settings, calendar)
        sku_buckets.append(bucketed.buckets)
        for bucket, series in bucketed.series.items():
            plan = bucket_plan(settings, bucket)
            check_forecast_settings(settings, plan.horizon)
            if series.is_empty():
                prepared.by_bucket.setdefault(bucket, [])
                continue
            classes = classify_demand(series)
            batch = prepare_series(series, classes)
            prepared.add(bucket, batch, classes, steps_behind(batch, history_end, plan))
        del demand, bucketed
    reused = quantiles if quantiles is not None and _covers(quantiles, prepared) else None
    forecast, calibrated = _forecast(prepared, choices, settings, history_end, reused)
    return ForecastTables(forecast, pl.concat(sku_buckets), calibrated)


def _covers(quantiles: pl.DataFrame, prepared: PreparedBatches) -> bool:
    """Whether ``quantiles`` has a row for every class of every bucket's series (a class
    without one would get no bands)."""
    known = set(quantiles.select("bucket", CLASS).iter_rows())
    return all(
        (bucket, pattern) in known
        for bucket, kept in prepared.by_bucket.items()
        for part in kept
        for pattern in part.classes[CLASS].unique()
    )


def _forecast(
    prepared: PreparedBatches,
    choices: pl.DataFrame,
    settings: ForecastingSettings,
    history_end: dt.date,
    quantiles: pl.DataFrame | None,
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Pass 2: every bucket's batches forecast, then banded over the bucket's classes with
    ``quantiles`` (calibrated here when None); the forecast and the quantiles calibrated."""
    parts, calibrated = [], []
    for bucket, kept in prepared.by_bucket.items():
        if not kept:
            continue
        plan = bucket_plan(settings, bucket)
        steps_ahead = plan.horizon + prepared.behind[bucket]
        unbanded = [
            forecast_unbanded(
                batch,
                bucket_choices(choices, bucket, classes, settings),
                plan.horizon,
                steps_ahead,
                settings,
                history_end,
                plan,
                calibrate=quantiles is None,
            )
            for batch, classes in prepared.batches(bucket)
        ]
        if quantiles is None:
            own = band_quantiles(unbanded, settings.levels) if _has_points(unbanded) else None
            if own is not None:
                calibrated.append(own.select(pl.lit(bucket).alias("bucket"), pl.all()))
        else:
            own = quantiles.filter(pl.col("bucket") == bucket).drop("bucket")
        forecast = with_class_bands(unbanded, settings.levels, own)
        parts.append(as_days(forecast, bucket, history_end, settings))
    fresh = pl.concat(calibrated) if calibrated else None
    if not parts:
        return pl.DataFrame(schema=output_schema(settings.levels)), fresh
    # Each part comes sorted by sku, day: one part needs no sort again.
    return parts[0] if len(parts) == 1 else pl.concat(parts).sort("sku", "day"), fresh


def _has_points(parts: list) -> bool:
    return any(part.point is not None for part in parts)
