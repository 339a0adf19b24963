"""Equivalent survivors of forecasting/'s reorder and customer-value steps: reorder
levels, budgets, purchase orders, suppliers and the feedback guard (see
mutation/equivalent.py, which reads these too; the demand steps' are in
mutation/equivalent_forecasting.py, the CLV models' in mutation/equivalent_clv.py, the
reorder levels' of policy_levels.py in mutation/equivalent_policy.py, the policy
backtest's replay and budget in mutation/equivalent_replay.py).

Each entry is (file, the mutant's change exactly as the report prints it) -> why no input
the code can receive tells the mutant from the original.
"""

from __future__ import annotations

NO_ZERO_QUANTITY = (
    "no order line has quantity 0: the loader quarantines such lines (ingest/rules.py) and "
    "staging.stg_order_lines' quality suite rejects them, so quantity > 0 and >= 0 (or < 0 "
    "and <= 0) select the same lines"
)


WHOLE_QUANTITIES = (
    " Quantities are whole numbers (an integer column in the export contract and in "
    "staging), so > -1 is >= 0 and < 1 is <= 0."
)


LISTED_ONLY_WITH_STOCK = (
    "the extra rows are SKUs with on_hand 0 (on_hand is a sum cast to whole units, so > -1 "
    "is >= 0): is_overstocked, the filter applied before the table is returned, requires "
    "on_hand > 0 again, so they are dropped there; only slower (their stock status is "
    "computed and thrown away). tests/forecasting/test_overstock.py kills the same change "
    "in is_overstocked"
)


REORDER_LIST_LINES = (
    "purchase_orders reads the reorder list (assets/inventory.py): its due and pulled lines "
    "order at least 1 unit (rounded_orders rounds a wanted quantity > 1e-9 up to whole "
    "units, then to the MOQ >= 1), its levels-only rows (no stock counts) have a null "
    "order_qty, which neither > 0 nor >= 0 keeps, and deferred is never null (apply_budget_cap "
    "sets it true or false on every row, the levels-only list false); so no line has "
    "order_qty 0 and no deferred is filled"
)


LEAD_TIMES_EARLY_RETURN = (
    "the early return only skips work: on a catalog whose every row gives a lead time the "
    "filling path fills no value and finds no SKU missing one, and its fill_null keeps the "
    "Float64 the caller's column already has (staging.stg_catalog's lead_time_days is a "
    "float in the export contract; assets/inventory.py is the only caller and never passes "
    "an empty catalog); the frame comes back with the same values, columns and types"
)


ON_HAND_NULL = (
    "on_hand is null only when the shop sends no stock counts (orderable_skus joins the "
    "counts inner and sums them, 0 for all-null); then the list keeps only the levels and "
    "drops inventory_position and stockout_probability, the two columns made from position"
)


ON_ORDER_NULL = (
    "on_order is null only when the shop sends no stock counts (orderable_skus fills a "
    "location's unknown on_order with 0 before summing); then the list keeps only the levels "
    "and drops inventory_position and stockout_probability, the two columns made from position"
)


LEAD_TIME_SPREAD_UNREAD = (
    "lead_time_std_days is never read: the reorder levels plan fixed lead times (the "
    "module docstring of forecasting/reorder.py says the spread is not used), the reorder "
    "list's OUTPUT_SCHEMA leaves the column out, and the overstock table and the policy "
    "backtest's terms read other columns of the catalog (checked with grep); so the "
    "default written into it changes no output"
)


REORDER_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "forecasting/purchase_orders.py",
        'ComparisonOperator_GtE_Gt: if value >= rule["min_order_value"] - 1e-9 and units >= '
        'rule["min_order_qty"]:  ->  if value > rule["min_order_value"] - 1e-9 and units >= '
        'rule["min_order_qty"]:',
    ): "the 1e-9 below the minimum is the tolerance that lets an order worth exactly the "
    "minimum (up to float rounding of its sum) meet it; >= and > part only where the "
    "order's value equals minimum - 1e-9 to the last bit, a sum of cent prices times whole "
    "units never lands on (an order at the minimum itself meets it either way)",
    (
        "forecasting/reorder_budget.py",
        "ComparisonOperator_LtE_Lt: fits = budget_cap is None or funded + value <= budget_cap "
        "+ 1e-9  ->  fits = budget_cap is None or funded + value < budget_cap + 1e-9",
    ): "the 1e-9 above the cap is the tolerance that lets orders adding up to exactly the cap "
    "(up to float rounding of the running sum) fit; <= and < part only where the running "
    "sum of cent order values equals cap + 1e-9 to the last bit, which no such sum lands "
    "on (orders adding up to the cap itself fit either way)",
    (
        "forecasting/suppliers.py",
        'OrWithAnd: if catalog.is_empty() or catalog["lead_time_days"].null_count() == 0:  ->  '
        'if catalog.is_empty() and catalog["lead_time_days"].null_count() == 0:',
    ): LEAD_TIMES_EARLY_RETURN,
    (
        "forecasting/reorder.py",
        'ComparisonOperator_Gt_GtE: pl.col("needed_by").is_not_null() & (pl.col("wanted") > '
        '1e-9)  ->  pl.col("needed_by").is_not_null() & (pl.col("wanted") >= 1e-9)',
    ): "a pull-forward candidate wants order-up-to less its floored reorder point: 0 when "
    "its level is 0 (reorder point and order-up-to are then 0), else at least level x review "
    "days, and a positive level of whole units over at most a few hundred days is at least "
    "1 / days: never exactly 1e-9 (the EOQ policy wants at least 1 unit there)",
    (
        "forecasting/reorder.py",
        'NumberReplacer: position = (skus["on_hand"].fill_null(0) + '
        'skus["on_order"].fill_null(0)).to_numpy()  ->  position = '
        '(skus["on_hand"].fill_null( -1) + skus["on_order"].fill_null(0)).to_numpy()',
    ): ON_HAND_NULL,
    (
        "forecasting/reorder.py",
        'NumberReplacer: position = (skus["on_hand"].fill_null(0) + '
        'skus["on_order"].fill_null(0)).to_numpy()  ->  position = '
        '(skus["on_hand"].fill_null(0) + skus["on_order"].fill_null( -1)).to_numpy()',
    ): ON_ORDER_NULL,
    (
        "forecasting/feedback_guard.py",
        "NumberReplacer: ((squares - total * total / n) / (n - 1)).clip(lower_bound=0).alias("
        'f"_{name}_var"),  ->  ((squares - total * total / n) / (n - 1)).clip(lower_bound= -1)'
        '.alias(f"_{name}_var"),',
    ): "ratings are whole numbers (1-5), so n x squares - total^2 is a whole number: 0 exactly "
    "when every rating agrees (total^2 / n is then the whole number squares, computed without "
    "rounding) and otherwise at least 1, a variance of at least 1 / (n (n - 1)), far above "
    "float noise. The variance before the clip is never negative, so a floor of -1 clips "
    "nothing a floor of 0 would (the clip only guards against rounding)",
    (
        "forecasting/overstock.py",
        'ComparisonOperator_Gt_GtE: .filter(pl.col("on_hand") > 0)  ->  '
        '.filter(pl.col("on_hand") >= 0)',
    ): LISTED_ONLY_WITH_STOCK,
    (
        "forecasting/overstock.py",
        'NumberReplacer: .filter(pl.col("on_hand") > 0)  ->  .filter(pl.col("on_hand") > -1)',
    ): LISTED_ONLY_WITH_STOCK,
    (
        "forecasting/overstock.py",
        'TrueWithFalse: ["excess_value", "sku"], descending=[True, False], nulls_last=True  ->  '
        '["excess_value", "sku"], descending=[True, False], nulls_last=False',
    ): "excess_value is never null, so where nulls sort changes nothing: excess_units is "
    "on_hand (a non-null sum, > 0 by the in_stock filter) less a cover made from "
    "daily_demand filled with 0, and unit_cost is never null (staging.stg_catalog's quality "
    "suite requires it, quality/suites.py, and the assumed catalog without one sets "
    "inventory.assumed_unit_cost, forecasting/reorder_inputs.py); the inner join to the "
    "catalog leaves out SKUs without a row; sku is the table's key, never null",
    (
        "forecasting/overstock.py",
        "NumberReplacer: .clip(lower_bound=0)  ->  .clip(lower_bound= -1)",
    ): "the cover units' clip: daily_demand is never negative (the planning rate is a "
    "forecast, which forecasts.demand_forecast's quality suite keeps >= 0, or a mean of "
    "history units floored at 0 by assets/inventory.py's TRADING_DEMAND; null is filled "
    "with 0) and the cover days are a PositiveInt, so demand x days - 1e-9 >= -1e-9 and its "
    "ceiling is -0.0 or at least 1: the floor of 0 or of -1 clips nothing, and -0.0 casts "
    "to the integer 0",
    (
        "forecasting/purchase_orders.py",
        'ComparisonOperator_Gt_GtE: funded = lines.filter(~pl.col("deferred").fill_null(False) '
        '& (pl.col("order_qty") > 0))  ->  funded = lines.filter(~pl.col("deferred").fill_null('
        'False) & (pl.col("order_qty") >= 0))',
    ): REORDER_LIST_LINES,
    (
        "forecasting/purchase_orders.py",
        'NumberReplacer: funded = lines.filter(~pl.col("deferred").fill_null(False) & '
        '(pl.col("order_qty") > 0))  ->  funded = lines.filter(~pl.col("deferred").fill_null('
        'False) & (pl.col("order_qty") > -1))',
    ): REORDER_LIST_LINES,
    (
        "forecasting/purchase_orders.py",
        'FalseWithTrue: funded = lines.filter(~pl.col("deferred").fill_null(False) & '
        '(pl.col("order_qty") > 0))  ->  funded = lines.filter(~pl.col("deferred").fill_null('
        'True) & (pl.col("order_qty") > 0))',
    ): REORDER_LIST_LINES,
    (
        "forecasting/purchase_orders.py",
        'ComparisonOperator_GtE_Gt: (pl.col("order_value") >= pl.col("min_order_value") - '
        '1e-9)  ->  (pl.col("order_value") > pl.col("min_order_value") - 1e-9)',
    ): "the same tolerance as schedule_orders' test of the minimum (its >= to > change is "
    "explained above): the order's value is rounded to the cent, so >= and > part only where "
    "a cent amount equals the minimum - 1e-9 to the last bit; an order at the minimum itself "
    "meets it either way (tests/forecasting/test_purchase_orders.py)",
    (
        "forecasting/purchase_orders.py",
        'NumberReplacer: pl.col("order_value").sort_by("sku").sum().round(2).alias('
        '"order_value"),  ->  pl.col("order_value").sort_by("sku").sum().round( 3).alias('
        '"order_value"),',
    ): "the lines' order values are already cents (forecasting/reorder.py rounds each to 2 "
    "decimals), so their sum is a cent amount up to float error far below 0.0005 (about 1e-16 "
    "of the sum per line), and rounding it to 3 decimals gives the same double as to 2 (both "
    "divide the same whole number of cents by a power of ten, correctly rounded; checked on "
    "200,000 random sums of five cent amounts)",
    (
        "forecasting/purchase_orders.py",
        "NumberReplacer: day = max(needed_by, as_of) + dt.timedelta(days=1)  ->  "
        "day = max(needed_by, as_of) + dt.timedelta(days= 0)",
    ): "the forward walk starts on max(needed_by, as_of), the first day the backward walk "
    "checked (it is >= as_of) and found no order day, so it steps past it at once and finds "
    "the same first order day after it",
    (
        "forecasting/suppliers.py",
        'NumberReplacer: if catalog.is_empty() or catalog["lead_time_days"].null_count() == 0:  '
        '->  if catalog.is_empty() or catalog["lead_time_days"].null_count() == -1:',
    ): LEAD_TIMES_EARLY_RETURN,
    (
        "forecasting/suppliers.py",
        'TrueWithFalse: for supplier, skus in catalog.sort("sku").group_by("supplier", '
        'maintain_order=True):  ->  for supplier, skus in catalog.sort("sku").group_by('
        '"supplier", maintain_order=False):',
    ): "the order the suppliers are visited in is not kept: the rows are sorted by supplier "
    "before they are returned; and within a group polars keeps the rows' order whatever "
    "maintain_order says (its documentation), so each supplier's first SKU by code still "
    "gives its order days",
    (
        "forecasting/suppliers.py",
        "NumberReplacer: name = supplier[0]  ->  name = supplier[ -1]",
    ): "the group key is a tuple of the one column grouped by (supplier), so [0] is [-1]",
    (
        "forecasting/suppliers.py",
        "NumberReplacer: given = named.str.len_chars().fill_null(0) > 0  ->  "
        "given = named.str.len_chars().fill_null( -1) > 0",
    ): "a null length (no supplier named) filled with -1 or with 0 is not > 0 either way",
    (
        "forecasting/reorder_budget.py",
        "NumberReplacer: recommendations: pl.DataFrame, budget_cap: float | None, "
        "customer_weight: float = 0.0  ->  recommendations: pl.DataFrame, budget_cap: float | "
        "None, customer_weight: float = -1.0",
    ): "a default weight of -1 or 0 leaves the ranking unweighted alike: weighted needs "
    "customer_weight > 0, and otherwise the customer factor is the constant 1 (the weight is "
    "read nowhere else); the pipeline passes inventory.budget_customer_weight, a "
    "NonNegativeFloat, and never takes the default",
    (
        "forecasting/reorder.py",
        'NumberReplacer: position = (skus["on_hand"].fill_null(0) + '
        'skus["on_order"].fill_null(0)).to_numpy()  ->  position = '
        '(skus["on_hand"].fill_null( 1) + skus["on_order"].fill_null(0)).to_numpy()',
    ): ON_HAND_NULL,
    (
        "forecasting/reorder.py",
        'NumberReplacer: position = (skus["on_hand"].fill_null(0) + '
        'skus["on_order"].fill_null(0)).to_numpy()  ->  position = '
        '(skus["on_hand"].fill_null(0) + skus["on_order"].fill_null( 1)).to_numpy()',
    ): ON_ORDER_NULL,
    (
        "forecasting/reorder.py",
        'ComparisonOperator_Gt_GtE: ) & (pl.col("wanted") > 1e-9)  ->  '
        ') & (pl.col("wanted") >= 1e-9)',
    ): "not strictly equivalent: a tolerance not pinned by design. The 1e-9 keeps float "
    "noise (an order-up-to level a rounding error above the whole-unit position) from "
    "ordering a unit; > and >= part only where the units wanted equal the double 1e-9 to "
    "the last bit: an order-up-to level of position + 1e-9 exactly, which levels made of "
    "quantiles, means and review days never land on (1 unit wanted is ordered: "
    "tests/forecasting/test_reorder.py)",
    (
        "forecasting/reorder_inputs.py",
        'NumberReplacer: pl.lit(0.0, pl.Float64).alias("lead_time_std_days"),  ->  '
        'pl.lit( 1.0, pl.Float64).alias("lead_time_std_days"),',
    ): LEAD_TIME_SPREAD_UNREAD,
    (
        "forecasting/reorder_inputs.py",
        'NumberReplacer: pl.lit(0.0, pl.Float64).alias("lead_time_std_days"),  ->  '
        'pl.lit( -1.0, pl.Float64).alias("lead_time_std_days"),',
    ): LEAD_TIME_SPREAD_UNREAD,
    (
        "forecasting/reorder_inputs.py",
        'NumberReplacer: "lead_time_std_days": (0.0, pl.Float64),  ->  '
        '"lead_time_std_days": ( 1.0, pl.Float64),',
    ): LEAD_TIME_SPREAD_UNREAD,
    (
        "forecasting/reorder_inputs.py",
        'NumberReplacer: "lead_time_std_days": (0.0, pl.Float64),  ->  '
        '"lead_time_std_days": ( -1.0, pl.Float64),',
    ): LEAD_TIME_SPREAD_UNREAD,
    (
        "forecasting/reorder_inputs.py",
        'NumberReplacer: cells["units"].cast(pl.Float64).clip(lower_bound=0).to_numpy(),  ->  '
        'cells["units"].cast(pl.Float64).clip(lower_bound= -1).to_numpy(),',
    ): "demand_history's history is never negative: both callers (forecasting/reorder.py and "
    "forecasting/demand_rate.py) are fed assets/inventory.py's planning window, whose "
    "PLANNING_WINDOW query floors units at 0 (greatest(units, 0)); so a floor of -1 clips "
    "nothing a floor of 0 would",
}
