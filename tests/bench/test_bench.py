"""The bench's code path at a tiny scale (no Dagster run: that is `make bench`), and its
table and comparison on hand-made records."""

import json

import pytest

from bench.command import main
from bench.report import compare, format_result, previous_record
from bench.run import read_into_page_cache
from bench.stores import cached_store, link_exports
from contract.exports import KINDS


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return cached_store(tmp_path_factory.mktemp("stores"), scale=0.01, seed=3)


def test_the_day_after_the_year_is_held_back_for_the_nightly_run(store, tmp_path):
    held = list(store.next_day_exports.glob("*/*"))
    kinds = sorted(p.parent.name for p in held)
    # At SF0.01 a day may have no order, feedback or parcel; stock, visits and the catalog always.
    assert set(kinds) <= set(KINDS) and {"catalog", "inventory", "traffic"} <= set(kinds)
    assert len(kinds) == len(set(kinds))
    assert {p.name for p in held} <= {"2024-12-31.csv", "2024-12-31.parquet"}
    assert not list(store.exports.glob("*/2024-12-31.*"))
    link_exports(store, tmp_path / "exports", with_next_day=False)
    before = len(list((tmp_path / "exports").glob("*/*")))
    link_exports(store, tmp_path / "exports", with_next_day=True)
    assert len(list((tmp_path / "exports").glob("*/*"))) == before + len(held)


def test_a_longer_history_ends_on_the_same_day(tmp_path):
    """Catches a store of several years that starts on the one-year store's first day (its
    export days would run into the future and the run would refuse them) or that holds
    back another day than the one-year store's new day."""
    store = cached_store(tmp_path, scale=0.01, seed=3, years=2)
    assert store.folder.name == "sf0.01-seed3-2y"
    days = sorted({p.stem for p in store.exports.glob("inventory/*")})
    assert (days[0], days[-1], len(days)) == ("2023-01-01", "2024-12-30", 730)
    assert {p.stem for p in store.next_day_exports.glob("*/*")} == {"2024-12-31"}


def test_load_and_reference_stages_read_the_same_rows(store, tmp_path, capsys):
    assert (
        main(
            [
                "--scale",
                "0.01",
                "--seed",
                "3",
                "--stages",
                "load,reference",
                "--data-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    shown = capsys.readouterr().out
    assert "ingest_ratio_cpu = " in shown and "DuckDB read_csv/read_parquet" in shown
    record = json.loads((tmp_path / "bench" / "bench_results.jsonl").read_text())
    assert record["load"]["rows"]["median"] == record["duckdb_load"]["rows"]["median"] > 0
    for suffix, figure in (("", "wall_s"), ("_cpu", "cpu_s")):
        assert record[f"ingest_ratio{suffix}"] == pytest.approx(
            record["load"][figure]["median"] / record["duckdb_load"][figure]["median"]
        )
    assert set(record["machine"]["versions"]) == {"dagster", "duckdb", "polars", "statsforecast"}


def _spread(median, low=None, high=None):
    return {
        "median": median,
        "min": median if low is None else low,
        "max": median if high is None else high,
    }


RESULT = {
    "scale": 1.0,
    "seed": 0,
    "store": {"order_lines": 500, "skus": 40, "traffic_events": 5000},
    "store_seconds": 2.0,
    "full": {
        "wall_s": _spread(100.0, 90.0, 110.0),
        "steps_wall_s": _spread(80.0),
        "peak_mb": _spread(2048.0),
        "success": True,
        "failures": [],
        "steps": {
            "raw__orders": {
                "wall_s": _spread(12.0),
                "cpu_s": _spread(10.0),
                "peak_mb": _spread(900.0),
                "dagster_s": _spread(3.0),
                "rows_in": 510,
                "rows_out": 500,
            }
        },
    },
    "load_ratio": 1.5,
    "forecast_ratio": 1.05,
    "time": "2026-11-30T07:00:00+00:00",
    "git_commit": "abc1234",
}


def test_the_table_shows_medians_ranges_rows_and_ratios():
    table = format_result(RESULT)
    assert "full run: wall 100.0 (90.0-110.0) s (steps 80.0 s), peak 2048 MB, ok" in table
    assert "raw.orders" in table and "510" in table and "500" in table
    assert "wall: load_ratio = 1.50  ingest_ratio = -  forecast_ratio = 1.05" in table


def test_the_comparison_gives_the_change_of_each_figure():
    later = json.loads(json.dumps(RESULT)) | {"load_ratio": 1.2}
    later["full"]["wall_s"] = _spread(75.0)
    lines = compare(RESULT, later).splitlines()
    assert "full run wall s" in lines[1] and "100.00 ->      75.00  -25 %" in lines[1]
    assert any("load_ratio" in line and "1.50 ->       1.20  -20 %" in line for line in lines)


def test_the_comparison_gives_each_steps_time():
    """Catches a bench that prints only the run totals: a step that got slower while
    another got faster would hide in an unchanged total."""
    later = json.loads(json.dumps(RESULT))
    later["full"]["steps"]["raw__orders"]["cpu_s"] = _spread(15.0)
    later["full"]["steps"]["raw__orders"]["wall_s"] = _spread(18.0)
    later["full"]["steps"]["marts__sessions"] = later["full"]["steps"]["raw__orders"]
    lines = compare(RESULT, later).splitlines()
    assert "  full run, per step (wall s, CPU s; before -> now):" in lines
    orders = next(line for line in lines if "raw.orders" in line)
    assert orders.split() == ["raw.orders", "12.0", "->", "18.0", "10.0", "->", "15.0", "+50", "%"]
    assert any(line.split() == ["marts.sessions", "new"] for line in lines)


def test_a_machine_without_records_compares_with_the_committed_ones(tmp_path):
    """Catches a fresh machine's first bench printing no comparison: its own results file
    has no record of the scale, the committed file has, and a record of its own wins."""
    own, committed = tmp_path / "bench_results.jsonl", tmp_path / "records.jsonl"
    committed.write_text(json.dumps(RESULT | {"git_commit": "committed"}) + "\n")
    assert previous_record(own, 1.0, 0, committed=committed)["git_commit"] == "committed"
    assert previous_record(own, 10.0, 0, committed=committed) is None
    own.write_text(json.dumps(RESULT | {"git_commit": "own"}) + "\n")
    assert previous_record(own, 1.0, 0, committed=committed)["git_commit"] == "own"


def test_a_longer_history_is_compared_with_its_own_records(tmp_path):
    """Catches a three-year bench compared with the newest one-year record of its scale:
    every step would seem to have grown with the history, not with the code."""
    own, committed = tmp_path / "bench_results.jsonl", tmp_path / "records.jsonl"
    own.write_text(json.dumps(RESULT | {"git_commit": "one year"}) + "\n")
    assert previous_record(own, 1.0, 0, 3, committed=committed) is None
    with own.open("a") as handle:
        handle.write(json.dumps(RESULT | {"years": 3, "git_commit": "three years"}) + "\n")
    assert previous_record(own, 1.0, 0, 3, committed=committed)["git_commit"] == "three years"
    assert previous_record(own, 1.0, 0, committed=committed)["git_commit"] == "one year"


def test_the_comparison_says_where_the_earlier_run_ran():
    machine = {"cpu_model": "Intel Xeon", "load_average": 3.25}
    header = compare(RESULT | {"machine": machine}, RESULT).splitlines()[0]
    assert header.endswith("commit abc1234, Intel Xeon, load average 3.2):")


def test_every_export_file_is_read_before_the_timed_loads(tmp_path):
    """Catches a warm-up that skips the kinds' folders (a glob of the top folder only):
    the loader timed first would then read those files from disk and the other from the
    page cache."""
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "2024-01-01.csv").write_bytes(b"x" * 1000)
    (tmp_path / "traffic" / "part").mkdir(parents=True)
    (tmp_path / "traffic" / "part" / "2024-01-01.parquet").write_bytes(b"y" * 20_000_000)
    (tmp_path / "exports.yaml").write_bytes(b"kinds: {}\n")
    assert read_into_page_cache(tmp_path) == 1000 + 20_000_000 + 10
