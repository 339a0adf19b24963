"""The backtest cadence decision (incremental/backtest_cadence.py) on hand-made states."""

import datetime as dt

import pytest

from config.settings import ForecastingSettings, InventorySettings
from incremental.backtest_cadence import (
    POLICY_BACKTEST,
    BacktestInputs,
    decide_backtest,
    policy_settings_key,
    settings_key,
)

MAR_1 = dt.date(2024, 3, 1)
LAST = BacktestInputs("s1", dt.date(2024, 1, 1), MAR_1)


def now(days_later: int, settings: str = "s1", start: dt.date = LAST.history_start):
    return BacktestInputs(settings, start, MAR_1 + dt.timedelta(days=days_later))


def decide(last, current, every=7, forced=False, tables_present=True):
    decision = decide_backtest(last, current, every, forced=forced, tables_present=tables_present)
    return decision.run, decision.reason


@pytest.mark.parametrize(
    ("days_later", "run"), [(0, False), (1, False), (7, False), (8, True), (-1, True)]
)
def test_history_moving_more_than_every_days_or_back_runs_it(days_later, run):
    assert decide(LAST, now(days_later))[0] is run


def test_each_reason_to_run_and_the_reason_to_keep():
    assert decide(LAST, now(3)) == (
        False,
        "kept the backtest of history to 2024-03-01: history is 3 days newer, "
        "within forecasting.backtest_every_days (7)",
    )
    assert decide(LAST, now(9)) == (
        True,
        "history ends 9 days from the last backtest's 2024-03-01 "
        "(more than forecasting.backtest_every_days, 7)",
    )
    assert decide(None, now(0)) == (True, "no earlier backtest recorded")
    assert decide(LAST, now(0), tables_present=False) == (
        True,
        "the last backtest's tables are missing from the warehouse",
    )
    assert decide(LAST, now(0), forced=True) == (True, "full_rebuild requested in the run config")
    assert decide(LAST, now(0), every=0) == (
        True,
        "forecasting.backtest_every_days is 0: every run",
    )
    assert decide(LAST, now(0, settings="s2")) == (
        True,
        "forecasting settings changed since the last backtest",
    )
    assert decide(LAST, now(0, start=dt.date(2023, 12, 1))) == (
        True,
        "history now starts 2023-12-01, the last backtest's started 2024-01-01",
    )
    assert decide(LAST, BacktestInputs("s1", None, None)) == (True, "no demand history to compare")


def test_inputs_round_trip_through_plain_metadata():
    metadata = LAST.as_metadata()
    assert metadata == {
        "backtest_settings": "s1",
        "backtest_history_start": "2024-01-01",
        "backtest_history_end": "2024-03-01",
    }
    assert BacktestInputs.from_metadata({**metadata, "row_count": 12}) == LAST
    empty = BacktestInputs("s1", None, None)
    assert BacktestInputs.from_metadata(empty.as_metadata()) == empty
    # a materialization written before the inputs were recorded holds none
    assert BacktestInputs.from_metadata({"build": "backtest"}) is None


def test_settings_key_ignores_where_and_how_often_the_backtest_runs():
    cfg = ForecastingSettings()
    same = ForecastingSettings(backtest_every_days=1, engine="dask", cluster_address="tcp://x:8786")
    assert settings_key(same) == settings_key(cfg)
    assert settings_key(ForecastingSettings(combine_top=1)) != settings_key(cfg)


def test_the_policy_key_follows_inventory_settings_days_and_terms_not_the_forecast_models():
    """Bugs caught: a replay kept after an inventory setting, the days the replay steps
    (bucket, trading weekdays) or the catalog terms changed; or replayed again on a change
    to the forecast's models, which the replay does not read."""
    inventory, forecasting, terms = InventorySettings(), ForecastingSettings(), "sku,unit_value\n"
    key = policy_settings_key(inventory, forecasting, terms)
    assert policy_settings_key(inventory, ForecastingSettings(combine_top=1), terms) == key
    for changed in (
        (InventorySettings(backtest_replay_days=20), forecasting, terms),
        (inventory, ForecastingSettings(bucket="week"), terms),
        (inventory, ForecastingSettings(trading_weekdays=[1, 2, 3, 4, 5]), terms),
        (inventory, forecasting, "sku,unit_value\nA,2.0\n"),
    ):
        assert policy_settings_key(*changed) != key


def test_the_policy_backtest_names_itself_in_its_reasons():
    decision = decide_backtest(
        LAST, now(1, "s2"), 7, forced=False, tables_present=True, evaluation=POLICY_BACKTEST
    )
    assert decision.reason == (
        "inventory settings or catalog terms changed since the last policy backtest"
    )
