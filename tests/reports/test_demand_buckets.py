"""The demand page of a warehouse forecast in weeks, and in auto buckets (a daily, a weekly
and a monthly seller), opened in headless Chromium: every label follows the bucket, the
headline tiles sum every bucket group, and each SKU says why it got its bucket.

The forecasts are real: the backtest and forecast assets (sku_bucket with it) run in Dagster with
statsforecast on the hand-made three-SKU mart of tests/assets/test_bucket_assets.py, into
the tiny warehouse of tests/reports/tiny_warehouse.py, which is then published."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from assets.forecasts import demand_backtest, demand_forecast
from bench.browser import DESKTOP, charts_drawn, errors_seen, open_page
from config.resources import RunPaths, SettingsResource
from pipelines.resources import build_resources
from tests.assets.test_bucket_assets import _mart
from tests.reports.conftest import publish_from
from tests.reports.tiny_warehouse import build_warehouse

pytestmark = pytest.mark.browser

SETTINGS = """
forecasting:
  bucket: {bucket}
  trading_weekdays: [1, 2, 3, 4, 5, 7]
  backtest_windows: 2
  backtest_min_train_days: 28
  history_days: 730
  min_active_days: 365
"""
KPIS = """Object.fromEntries(Array.prototype.map.call(document.querySelectorAll("[data-kpi]"),
  function (k) { return [k.dataset.kpi, [k.querySelector(".label").textContent,
    k.querySelector(".value").textContent, k.querySelector(".hint").textContent]]; }))"""
AXIS = 'document.getElementById("chart-accuracy").layout.yaxis.title.text.replace(/<br>/g, " ")'


def _forecast_site(root: Path, bucket: str) -> Path:
    """Run the forecast assets with `bucket` on the three-SKU mart; publish; the site."""
    paths = RunPaths(data_dir=str(root))
    build_warehouse(paths.warehouse)
    mart = _mart().with_columns(
        pl.col("demand_units").cast(pl.Int64).alias("units"),
        (pl.col("demand_units") > 0).cast(pl.Int64).alias("orders"),
        (pl.col("demand_units") * 2.5).alias("revenue"),
        pl.lit(None, pl.Int64).alias("on_hand"),
    )
    with duckdb.connect(str(paths.warehouse)) as con:
        con.register("mart", mart.to_arrow())
        con.execute("create or replace table marts.sku_demand_daily as select * from mart")
    (root / "settings.yaml").write_text(SETTINGS.format(bucket=bucket))
    resources = build_resources(paths, SettingsResource(settings_file=str(root / "settings.yaml")))
    assert dg.materialize(
        [demand_backtest, demand_forecast],
        resources=resources,
        instance=dg.DagsterInstance.ephemeral(),
    ).success
    publish_from(paths.warehouse, root / "site")
    return root / "site" / "demand.html"


def _read(browser, page_path: Path, shot: Path, sku: str) -> dict:
    with open_page(browser, DESKTOP) as page:
        page.goto(page_path.as_uri() + f"#sku={sku}")
        drawn = charts_drawn(page)
        page.screenshot(path=shot, full_page=True)
        return {
            "drawn": drawn,
            "errors": errors_seen(page),
            "text": page.inner_text("main") if page.query_selector("main") else "",
            "body": page.inner_text("body"),
            "kpis": page.evaluate(KPIS),
            "axis": page.evaluate(AXIS),
            "info": page.inner_text("#sku-accuracy"),
        }


@pytest.fixture(scope="module")
def weekly(tmp_path_factory, browser, artifacts: Path) -> dict:
    page = _forecast_site(tmp_path_factory.mktemp("weekly"), "week")
    return _read(browser, page, artifacts / "demand-weekly.png", "WEEKLY")


@pytest.fixture(scope="module")
def auto(tmp_path_factory, browser, artifacts: Path) -> tuple[dict, Path]:
    root = tmp_path_factory.mktemp("auto")
    page = _forecast_site(root, "auto")
    return _read(browser, page, artifacts / "demand-auto.png", "MONTHLY"), root


def test_weekly_buckets_speak_of_weeks_only(weekly) -> None:
    """Bug caught: under weekly buckets the page said "7-day" sums and "daily" WAPE, which
    there are single weeks, and its benchmark 'last week's same weekday'."""
    assert weekly["errors"] == [] and weekly["drawn"]["drawn"] == weekly["drawn"]["charts"]
    body = weekly["body"]
    assert "7-day" not in body and "daily" not in body and "same weekday" not in body
    assert "1-week sums" in body and "the same week a year before" in body
    kpis = weekly["kpis"]
    assert kpis["selected_wape"][2] == "weekly, holdout"
    assert kpis["selected_wape_7d"][0] == "Selected WAPE 1-week"
    # the holdout's last week, dated by its Monday, runs to its Sunday: the last complete
    # week before Wednesday 2024-06-12
    assert kpis["holdout"][2] == "to 2024-06-09"
    assert weekly["axis"] == "WAPE on 1-week sums (lower is better)"
    assert "WAPE on 1-week sums" in weekly["info"]
    assert "bucket set: forecasting.bucket week; sells in 99 % of its 76 weeks" in weekly["info"]


def test_auto_tiles_sum_every_bucket_group_and_show_the_split(auto) -> None:
    """Bug caught: under auto the headline tiles showed only the daily group's `all` row,
    as if the weekly and monthly SKUs had not been forecast."""
    seen, root = auto
    assert seen["errors"] == [] and seen["drawn"]["drawn"] == seen["drawn"]["charts"]
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        # each group's holdout is its own last window; the groups' errors add up
        expected = con.sql(
            """
            with picked as (
                select *, case when demand_pattern like '%(weekly)' then 'week'
                    when demand_pattern like '%(monthly)' then 'month' else 'day' end as bucket
                from forecasts.demand_backtest where model = 'selected'
            ),
            last as (select bucket, max("window") as last_window from picked group by bucket)
            select sum(abs_error) / sum(actual), sum(abs_error_7d) / sum(actual),
                count(distinct sku)
            from picked join last using (bucket) where "window" = last_window
            """
        ).fetchall()
    wape, wape_sums, skus = expected[-1]
    kpis = seen["kpis"]
    assert kpis["selected_wape"][1] == f"{wape:.3f}"
    assert kpis["selected_wape_7d"][1] == f"{wape_sums:.3f}"
    assert kpis["backtest_skus"][1:] == [str(skus), "daily 1 · weekly 1 · monthly 1"]
    for bucket, name in (("day", "Daily"), ("week", "Weekly"), ("month", "Monthly")):
        assert kpis[f"selected_wape_{bucket}"][0] == f"{name} SKUs"
    assert kpis["selected_wape_month"][2].startswith("1 SKU on 1-month sums")
    assert seen["axis"] == "WAPE on 7-day, 1-week or 1-month sums (lower is better)"


def test_auto_explorer_says_why_each_sku_got_its_bucket(auto) -> None:
    """Bug caught: why each SKU got its bucket under auto was only logged; the page's SKU
    detail now reads it from forecasts.sku_bucket, shares included."""
    seen, _ = auto
    info = seen["info"]
    assert info.startswith("MONTHLY: holdout WAPE")
    assert "WAPE on 1-month sums" in info
    assert "bucket monthly: sells on 2 % of its" in info and "months" in info
