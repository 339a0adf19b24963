"""The reorder page's stock-risk sections, published from the tiny warehouse
(tests/reports/tiny_risk.py holds the known answers)."""

import re

BUDGET_SQL = """
create table inventory.policy_backtest as select * from (values
  ('classic', 0.95, 0.74, 0.875, 100, 3400.0, null, 50.0, 20.0),
  ('recommended', 0.95, 0.78, 0.89, 90, 3170.0, null, 40.0, 18.0),
  ('recommended, budget: risk', 0.95, 0.70, 0.81, 150, 2500.0, 123.45, 400.0, 210.0),
  ('recommended, budget: risk x customer value', 0.95, 0.70, 0.80, 155, 2490.0, 123.45,
   410.0, 95.5)
) as t(policy, target_service_level, achieved_cycle_service_level, fill_rate, stockout_days,
       avg_inventory_value, budget_per_day, lost_sales_value, high_value_lost_sales_value);
alter table inventory.policy_backtest add column skus bigint default 10;
alter table inventory.policy_backtest add column replay_start date default date '2011-09-02';
alter table inventory.policy_backtest add column replay_end date default date '2011-12-08';
alter table inventory.policy_backtest add column large_orders_flagged bigint default 4;
alter table inventory.policy_backtest add column large_order_rule varchar default 'made to order';
"""


def _section(text: str, heading: str) -> str:
    start = text.index(f"<h2>{heading}")
    end = text.find("<h2>", start + 4)
    return text[start : end if end > 0 else None]


def test_overstock_section_shows_the_totals_and_the_rows(site):
    """Bug caught: overstock computed but not on the page, or its money mis-summed."""
    text = _section((site / "reorder.html").read_text(), "Overstock and slow movers")
    tiles = dict(re.findall(r'data-kpi="(\w+)".*?<div class="value">([^<]*)</div>', text))
    assert tiles == {
        "overstock_value": "85.00",
        "slow_movers": "1",
        "return_credit": "85.00",
        "markdown_proceeds": "84.00",
    }
    assert "Pennine &lt;Paper&gt;" in text  # escaped
    assert text.index("84879") < text.index("21212")  # by excess value


def test_feedback_guard_flags_on_the_list_and_in_its_section(site):
    """Bug caught: a SKU whose reviews collapsed listed without its flag and evidence."""
    page = (site / "reorder.html").read_text()
    guard = _section(page, "Review before reordering")
    assert "2 SKUs flagged, 1 of them on the reorder list" in guard
    assert "3 SKUs had enough reviews or orders to judge" in guard
    assert "mean rating 1.5 from 6 reviews in the 28 days to 2011-01-10" in guard
    recommendations = _section(page, "Purchase orders by supplier")
    assert recommendations.count("review first") == 1  # 22423 only
    assert "60.0 %" in recommendations  # 22423's high-value customers' share, in its details
    assert "mean rating 1.5 from 6 reviews" in recommendations  # its evidence, in its details


def test_budget_section_compares_the_two_rankings(publish_warehouse):
    """Bug caught: the backtest's budget rows drawn as extra policies in the service charts
    instead of compared in their own section."""
    page = (publish_warehouse(sql=BUDGET_SQL) / "reorder.html").read_text()
    budget = _section(page, "Who a stockout hurts")
    assert "recommended, budget: risk x customer value" in budget
    assert "123.45" in budget and "95.50" in budget and "210.00" in budget
    backtest = _section(page, "Policy backtest")
    assert "budget" not in backtest.split("</p>", 1)[1]  # its table and charts: 2 policies


def test_without_a_budget_replay_the_section_says_so(site):
    page = (site / "reorder.html").read_text()
    assert "No budget replay in the policy backtest" in _section(page, "Who a stockout hurts")
