"""The policy backtest section of the reorder page: charts and the table behind them."""

from __future__ import annotations

import duckdb
import polars as pl

from reports.pages.reorder import policy_figures, policy_queries
from reports.site.format import esc, fmt_date, fmt_int, fmt_money, fmt_pct, fmt_text
from reports.site.layout import Column, chart, table

NO_BACKTEST = "No policy backtest yet: inventory.policy_backtest is missing or empty."
BACKTEST_COLUMNS: tuple[Column, ...] = (
    ("policy", "Policy", fmt_text, "txt"),
    ("target_service_level", "Target", fmt_pct, "num"),
    ("achieved_cycle_service_level", "Cycle service", fmt_pct, "num"),
    ("fill_rate", "Fill rate", fmt_pct, "num"),
    ("stockout_days", "Stockout SKU-days", fmt_int, "num"),
    ("avg_inventory_value", "Average stock value", fmt_money, "num"),
    ("skus", "SKUs", fmt_int, "num"),
    ("large_orders_flagged", "Large orders made to order", fmt_int, "num"),
    ("replay_start", "Replay from", fmt_date, "num"),
    ("replay_end", "Replay to", fmt_date, "num"),
)


def backtest_section(con: duckdb.DuckDBPyConnection) -> str:
    """The section HTML: how both policies did on past days, or a note when not replayed."""
    backtest = policy_queries.policy_backtest(con)
    if not backtest.is_empty():  # the budget rows have their own section (risk_section.py)
        backtest = backtest.filter(pl.col("policy").is_in(["classic", "recommended"]))
    if backtest.is_empty():
        return f"<h2>Policy backtest</h2>\n{chart(None, 'chart-policy-service', NO_BACKTEST)}"
    rule = esc(backtest["large_order_rule"][0])
    first, last = fmt_date(backtest["replay_start"].min()), fmt_date(backtest["replay_end"].max())
    return f"""<h2>Policy backtest</h2>
<p class="meta">Past days replayed under our recommended policy (the one behind the
recommendations above, at one target for all SKUs) and the classic formula
(mean x lead time + z x sd x sqrt(lead time)), lost sales, orders arriving after the lead time.
Large one-off orders, under both policies: {rule}.</p>
<p class="meta">Days replayed: {first} to {last}. The replay runs weekly, with the model
backtest, so its last day can be up to a week before the list above.</p>
<div class="grid2">
{chart(policy_figures.achieved_vs_target(backtest), "chart-policy-service", NO_BACKTEST)}
{chart(policy_figures.stock_vs_fill_rate(backtest), "chart-policy-frontier", NO_BACKTEST)}
</div>
{table(backtest, BACKTEST_COLUMNS, NO_BACKTEST)}"""
