"""The policy backtest section of the reorder page, published from a hand-made warehouse."""

import polars as pl

from reports.pages.reorder import policy_figures

BACKTEST_SQL = """
create table inventory.policy_backtest as select * from (values
  ('classic', 0.90, 0.69, 0.85, 120, 3000.0, 10, date '2011-09-02', date '2011-12-08', 4, 'made to order <big>'),
  ('classic', 0.95, 0.74, 0.875, 100, 3400.0, 10, date '2011-09-02', date '2011-12-08', 4, 'made to order <big>'),
  ('recommended', 0.90, 0.71, 0.84, 110, 2400.0, 10, date '2011-09-02', date '2011-12-08', 4, 'made to order <big>'),
  ('recommended', 0.95, 0.784, 0.89, 90, 3170.0, 10, date '2011-09-02', date '2011-12-08', 4, 'made to order <big>')
) as t(policy, target_service_level, achieved_cycle_service_level, fill_rate, stockout_days,
       avg_inventory_value, skus, replay_start, replay_end, large_orders_flagged, large_order_rule)
"""


def test_reorder_page_shows_the_backtest(publish_warehouse):
    text = (publish_warehouse(sql=BACKTEST_SQL) / "reorder.html").read_text()
    assert "<h2>Policy backtest</h2>" in text
    assert 'id="chart-policy-service"' in text and 'id="chart-policy-frontier"' in text
    assert "78.4 %" in text and "3,170.00" in text  # the recommended row at 95 %
    assert "made to order &lt;big&gt;" in text  # the large-order rule, escaped
    # a replay kept from an earlier night says which days it replayed
    assert "Days replayed: 2011-09-02 to 2011-12-08." in text


def test_reorder_page_without_a_backtest_says_so(publish_warehouse):
    text = (publish_warehouse() / "reorder.html").read_text()
    assert "No policy backtest yet" in text


def test_empty_reorder_list_still_shows_the_backtest_note(publish_warehouse):
    text = (publish_warehouse(with_reorders=False) / "reorder.html").read_text()
    assert "Nothing to reorder" in text and "No policy backtest yet" in text


def test_figures_titles_axes_and_empty_state():
    rows = pl.DataFrame(
        {
            "policy": ["classic", "recommended"],
            "target_service_level": [0.95, 0.95],
            "achieved_cycle_service_level": [0.74, 0.78],
            "fill_rate": [0.87, 0.89],
            "avg_inventory_value": [3400.0, 3170.0],
        }
    )
    service = policy_figures.achieved_vs_target(rows)
    assert service.layout.title.text == "Achieved vs target service level"
    assert service.layout.xaxis.title.text == "Target service level"
    # the target diagonal, then cycle service and fill rate for each policy
    assert [trace.name for trace in service.data] == [
        "target = achieved",
        "classic: cycle service",
        "classic: fill rate",
        "recommended: cycle service",
        "recommended: fill rate",
    ]
    frontier = policy_figures.stock_vs_fill_rate(rows)
    assert frontier.layout.xaxis.title.text == "Average stock value (at unit cost)"
    assert list(frontier.data[1].x) == [3170.0] and list(frontier.data[1].text) == ["95%"]
    assert policy_figures.achieved_vs_target(rows.clear()) is None
    assert policy_figures.stock_vs_fill_rate(rows.clear()) is None
