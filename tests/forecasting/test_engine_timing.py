"""The seconds spent inside statsforecast, as the forecast benchmark reports them."""

import subprocess
import sys
import time

import polars as pl
from statsforecast.models import Naive

from forecasting import engine


def test_a_call_adds_its_own_seconds_to_its_entry_point():
    """Bug: the counter adding the clock reading instead of the time elapsed (perf_counter()
    + started), or the wrong entry point's: the benchmark's share of model time would be
    nonsense. One local forecast adds more than 0 and at most the wall time around it."""
    frame = pl.DataFrame({"unique_id": ["A"] * 5, "ds": list(range(1, 6)), "y": [1.0] * 5})
    before = dict(engine.STATSFORECAST_SECONDS)
    cpu_before = dict(engine.STATSFORECAST_CPU_SECONDS)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = engine.forecast([Naive()], frame, horizon=2, levels=())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert result["Naive"].to_list() == [1.0, 1.0]
    added = engine.STATSFORECAST_SECONDS["forecast"] - before["forecast"]
    assert 0.0 < added <= wall
    assert engine.STATSFORECAST_SECONDS["cross_validation"] == before["cross_validation"]
    # The CPU counter the same way: the process's CPU time elapsed, not the clock reading
    # (process_time() + cpu would add the process's whole CPU time so far, twice).
    cpu_added = engine.STATSFORECAST_CPU_SECONDS["forecast"] - cpu_before["forecast"]
    assert 0.0 <= cpu_added <= cpu
    assert engine.STATSFORECAST_CPU_SECONDS["cross_validation"] == cpu_before["cross_validation"]


def test_the_counters_start_at_zero():
    """Bug: a counter starting above zero reports seconds no model spent (a run's first
    benchmark would count them as statsforecast's)."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from forecasting import engine; "
            "print(engine.STATSFORECAST_SECONDS, engine.STATSFORECAST_CPU_SECONDS)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    zero = "{'cross_validation': 0.0, 'forecast': 0.0}"
    assert shown == f"{zero} {zero}"
