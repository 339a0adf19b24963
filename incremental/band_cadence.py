"""Whether the forecast calibrates its bands, or bands with the quantiles calibrated before.

The bands' quantiles, pooled per demand-pattern class (forecasting/intervals.py), come
from the forecast's own errors on the last two windows of every SKU's history; forecasting
those windows again took about two thirds of the forecast step's statsforecast time. One
more day of history moves the quantiles little, and the models they score are chosen by
the model backtest, which itself runs weekly (incremental/backtest_cadence.py). So the
quantiles are kept in ``build_state.band_quantiles`` (bucket, demand_pattern, q_lo_<level>,
q_hi_<level>) with the last day of history they were calibrated on and a key of what they
were calibrated for: the model choice with its backtest scores (a new backtest writes new
scores) and the forecasting settings. A forecast reuses them unless:

- none are kept, or their key differs (the backtest ran again, or a setting changed);
- the demand history ends more than ``forecasting.backtest_every_days`` days past their
  day, or before it (0: every forecast calibrates);
- a class of the forecast's series has none (forecasting/forecast_batches.py checks).

A reused calibration bands each SKU with its own scale of that night (its level and
forecast) and the kept class quantiles; the forecast itself is always that night's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import NamedTuple

import duckdb
import polars as pl

from config.settings import ForecastingSettings
from incremental.backtest_cadence import within_cadence
from warehouse.frames import query, replace_table, table_exists

SCHEMA, TABLE = "build_state", "band_quantiles"
KEY = "calibration_key"
THROUGH = "calibrated_through"


def calibration_key(con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings) -> str:
    """What a calibration was made for: forecasts.model_choice (every row, scores included)
    and the forecasting settings, hashed."""
    choice = query(con, "select * from forecasts.model_choice")
    text = choice.sort(choice.columns).write_csv() + cfg.model_dump_json()
    return hashlib.sha256(text.encode()).hexdigest()


class KeptBands(NamedTuple):
    quantiles: pl.DataFrame  # bucket, demand_pattern, q_lo_<level>, q_hi_<level>
    through: dt.date  # the last day of history they were calibrated on


def kept_quantiles(
    con: duckdb.DuckDBPyConnection, key: str, history_end: dt.date, every_days: int
) -> KeptBands | None:
    """The kept quantiles when the rules of the module docstring let this forecast reuse
    them; None when it calibrates."""
    if every_days <= 0 or not table_exists(con, f"{SCHEMA}.{TABLE}"):
        return None
    kept = query(con, f"select * from {SCHEMA}.{TABLE}")
    if kept.is_empty() or kept[KEY].n_unique() != 1 or kept[KEY][0] != key:
        return None
    if not within_cadence(kept[THROUGH][0], history_end, every_days):
        return None
    return KeptBands(kept.drop(KEY, THROUGH), kept[THROUGH][0])


def keep_quantiles(
    con: duckdb.DuckDBPyConnection, quantiles: pl.DataFrame, key: str, history_end: dt.date
) -> None:
    """Replace the kept quantiles with a new calibration, in the caller's transaction."""
    con.execute(f"create schema if not exists {SCHEMA}")
    replace_table(
        con,
        SCHEMA,
        TABLE,
        quantiles.with_columns(
            pl.lit(history_end, dtype=pl.Date).alias(THROUGH), pl.lit(key).alias(KEY)
        ),
    )
