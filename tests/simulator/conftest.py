from datetime import date
from pathlib import Path

import pytest

from simulator import build_demo_exports


@pytest.fixture(scope="session")
def demo_window() -> tuple[date, date]:
    return date(2011, 3, 1), date(2011, 3, 21)  # three weeks, Tuesday to Monday


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory, demo_window) -> Path:
    out = tmp_path_factory.mktemp("demo") / "exports"
    build_demo_exports(out, seed=0, start=demo_window[0], end=demo_window[1])
    return out


@pytest.fixture(scope="session")
def demo_truth(demo_dir) -> dict:
    import json

    return json.loads((demo_dir / "ground_truth.json").read_text())


@pytest.fixture(scope="session")
def demo_traffic(demo_dir):
    import polars as pl

    return pl.read_parquet(sorted((demo_dir / "traffic").glob("*.parquet")))
