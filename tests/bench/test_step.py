"""The step timer finds a step by the name the run's lines print, and refuses the rest."""

import pytest

from bench.step import find_step
from config.settings import HistorySettings


def test_finds_single_and_multi_asset_steps():
    assert find_step("demand_backtest", HistorySettings()).node_def.name == "demand_backtest"
    clv = find_step("clv_marts", HistorySettings())
    assert {key.path[-1] for key in clv.keys} >= {"customer_clv", "clv_model"}


@pytest.mark.parametrize(
    ("name", "message"),
    [("raw__orders", "partitioned by export day"), ("clv", "no step named 'clv'")],
)
def test_refuses_what_it_cannot_time(name, message):
    with pytest.raises(SystemExit, match=message):
        find_step(name, HistorySettings())
