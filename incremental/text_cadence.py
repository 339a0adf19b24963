"""Whether the review-text models are fitted again, or the fitted ones score the new texts.

The sentiment model and the themes (feedback_text/) are fitted on the newest texts, and
their two fits were most of the feedback text step's time. One more day of reviews moves
either little, so they run on the model backtest's weekly cadence
(incremental/backtest_cadence.py): the fitted models are kept in
``build_state.feedback_text_models`` (one row: a key of what they were fitted for, the
last day of texts they saw, and the models themselves, pickled), and a run fits again when

- no models are kept, or the kept ones cannot be read back;
- their key differs: the `feedback` settings the fits read (every field but the alert
  ones), MODEL_VERSION below, or the scikit-learn version that pickled them;
- the texts end more than ``forecasting.backtest_every_days`` days past the fit's last
  day, or before it (0: every run fits);
- the run asks for it (`full_rebuild: true`, as the weekly_backtest schedule does).

Otherwise the kept models score only the texts the last run's marts do not hold (a new
text, or one whose text changed); every other text keeps its score, so the marts are what
the kept models give on every text. Why a table and not a file: the models are written in
the same transaction as the marts they scored, so the two never disagree, and they travel
with the warehouse (copies, backups) with no path to configure. Pickle is fine here: the
warehouse is the project's own, and a version change refits rather than unpickling.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from typing import NamedTuple

import duckdb
import polars as pl
import sklearn

from config.settings_feedback import FeedbackSettings
from incremental.backtest_cadence import within_cadence
from warehouse.frames import query, replace_table, table_exists

SCHEMA, TABLE = "build_state", "feedback_text_models"
# Raise when a change to feedback_text/ changes what a fit gives or what it keeps: the next
# run fits again instead of reading models of another shape.
MODEL_VERSION = "1"
# Settings that act after the fits (on the weekly shares), not on what the models are.
NOT_FIT = ("alert_",)


def model_key(cfg: FeedbackSettings) -> str:
    """A fingerprint of what the fits depend on besides the texts."""
    fields = {k: v for k, v in cfg.model_dump().items() if not k.startswith(NOT_FIT)}
    text = repr((sorted(fields.items()), MODEL_VERSION, sklearn.__version__))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class TextDecision(NamedTuple):
    fit: bool
    reason: str  # why the models are fitted, or why the kept ones still serve


def decide_fit(
    kept_key: str | None,
    kept_through: dt.date | None,
    key: str,
    texts_end: dt.date | None,
    every_days: int,
    *,
    forced: bool,
) -> TextDecision:
    """Whether the text models are fitted now (the rules of the module docstring).

    Args:
        kept_key, kept_through: the kept models' key and last day (None: none kept).
        key: model_key of this run's settings.
        texts_end: the newest text's day (None: no texts).
        every_days: forecasting.backtest_every_days.
        forced: the run config asks for a full rebuild.
    """
    if forced:
        return TextDecision(True, "full_rebuild requested in the run config")
    if kept_key is None or kept_through is None:
        return TextDecision(True, "no fitted text models kept")
    if every_days <= 0:
        return TextDecision(True, "forecasting.backtest_every_days is 0: every run")
    if kept_key != key:
        return TextDecision(True, "feedback settings or the model version changed since the fit")
    if texts_end is None:
        return TextDecision(True, "no texts to compare")
    moved = (texts_end - kept_through).days
    if not within_cadence(kept_through, texts_end, every_days):
        return TextDecision(
            True,
            f"texts end {moved} days from the fit's {kept_through} "
            f"(more than forecasting.backtest_every_days, {every_days})",
        )
    return TextDecision(
        False,
        f"kept the text models fitted on texts to {kept_through}: texts are {moved} days "
        f"newer, within forecasting.backtest_every_days ({every_days})",
    )


class KeptModels(NamedTuple):
    key: str
    through: dt.date
    models: object  # feedback_text.tables.FittedText


def kept_models(con: duckdb.DuckDBPyConnection) -> KeptModels | None:
    """The kept models, or None when none are kept or they cannot be read back."""
    if not table_exists(con, f"{SCHEMA}.{TABLE}"):
        return None
    rows = query(con, f"select model_key, fitted_through, models from {SCHEMA}.{TABLE}")
    if rows.height != 1:
        return None
    try:
        models = pickle.loads(rows["models"][0])
    except Exception:  # noqa: BLE001 - a model pickled by other code: fit again
        return None
    return KeptModels(rows["model_key"][0], rows["fitted_through"][0], models)


def keep_models(
    con: duckdb.DuckDBPyConnection, models: object, key: str, through: dt.date | None
) -> None:
    """Replace the kept models, in the caller's transaction."""
    con.execute(f"create schema if not exists {SCHEMA}")
    row = pl.DataFrame(
        {
            "model_key": [key],
            "fitted_through": [through],
            "models": [pickle.dumps(models, protocol=pickle.HIGHEST_PROTOCOL)],
        },
        schema={"model_key": pl.String, "fitted_through": pl.Date, "models": pl.Binary},
    )
    replace_table(con, SCHEMA, TABLE, row)
