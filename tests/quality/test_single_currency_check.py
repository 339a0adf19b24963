"""The single-currency check as Dagster runs it (quality/currency.py): order lines in two
currencies stop what follows staging.stg_order_lines, and the verdict is recorded.

The order lines are written by hand into a tiny warehouse; the asset the check is attached
to is a stand-in that writes nothing, so only the check's own code decides."""

import dagster as dg
import duckdb
import pytest

from config.resources import RunPaths
from pipelines.resources import build_resources
from quality.currency import ORDER_LINES, single_currency_check

AFTER = dg.AssetKey(["after", "order_lines"])


@dg.asset(key=ORDER_LINES)
def order_lines() -> dg.MaterializeResult:
    return dg.MaterializeResult()


@dg.asset(key=AFTER, deps=[ORDER_LINES])
def after_order_lines() -> dg.MaterializeResult:
    return dg.MaterializeResult()


@pytest.mark.parametrize(
    ("currencies", "passed"), [(["GBP", "GBP"], True), (["GBP", "EUR"], False)]
)
def test_two_currencies_block_what_follows_the_order_lines(tmp_path, currencies, passed):
    """Catches: the check made non-blocking (net sales summing pounds and euros would still
    reach the marts and the site), or its verdict not returned or not recorded."""
    paths = RunPaths(data_dir=str(tmp_path / "data"), exports_dir=str(tmp_path / "exports"))
    paths.data.mkdir()
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute("create schema staging")
        con.execute(
            "create table staging.stg_order_lines (order_id varchar, currency varchar, "
            "source_file varchar, source_line bigint)"
        )
        for line, currency in enumerate(currencies, start=2):
            con.execute(
                "insert into staging.stg_order_lines values (?, ?, 'orders/2024-01-02.csv', ?)",
                [f"o{line}", currency, line],
            )
    result = dg.materialize(
        [order_lines, after_order_lines, single_currency_check],
        resources=build_resources(paths),
        raise_on_error=False,
    )
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed) == ("single_currency", passed)
    done = {e.asset_key for e in result.get_asset_materialization_events()}
    assert (AFTER in done) is passed
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        recorded = con.execute(
            "select asset, check_name, passed from quality.check_results"
        ).fetchall()
    assert recorded == [("staging/stg_order_lines", "single_currency", passed)]
