"""The step timer finds a step by the name the run's lines print, and refuses the rest."""

import pytest

from bench.forecast_overhead import run_folder_resources
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


def test_a_step_timed_alone_gets_the_memory_cap_of_the_run_folder(tmp_path):
    """Catches a timer that ignores the folder's settings: the bench writes its DuckDB cap
    there, and a step timed without it measures another machine (no spill, other plans)."""
    (tmp_path / "settings.yaml").write_text("warehouse:\n  memory_limit: 1GB\n")
    capped = run_folder_resources(str(tmp_path))["duckdb"].connection_config
    assert capped["memory_limit"] == "1GB"
    (tmp_path / "settings.yaml").unlink()
    default = run_folder_resources(str(tmp_path))["duckdb"].connection_config
    assert "memory_limit" not in default
