import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from config.settings import InventorySettings
from forecasting.order_line_demand import order_line_demand
from forecasting.policy_backtest import demand_matrix, policy_backtest
from forecasting.policy_levels import (
    classic_levels,
    large_order_thresholds,
    lead_time_exceedance,
    recommended_levels,
)
from forecasting.recommended_policy import RecommendedPolicyRule


def test_classic_formula():
    history = np.array([[0.0, 2.0, 0.0, 2.0]])  # mean 1, sample sd sqrt(4/3)
    reorder_point, order_up_to = classic_levels(history, np.array([4]), 0.95, review_days=7)
    expected = 1 * 4 + 1.6448536 * math.sqrt(4 / 3) * math.sqrt(4)
    assert reorder_point[0] == pytest.approx(expected, rel=1e-6)
    assert order_up_to[0] == pytest.approx(expected + 7)


def test_large_order_thresholds():
    history = np.array([[1.0, 1.0, 2.0, 1.0, 0.0, 40.0], [0.0] * 6])
    threshold = large_order_thresholds(history, median_multiple=10, quantile=0.5)
    # selling days 1, 1, 2, 1, 40: median 1 -> 10x = 10 beats the median quantile
    assert threshold[0] == 10
    assert threshold[1] == np.inf  # never sold: nothing is flagged


def test_recommended_levels_full_service_and_value_allocation():
    pattern = [0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 5.0, 1.0]
    history = np.array([pattern, pattern])
    # target 1: every SKU covers its largest 2-day sum (5 + 1 = 6); level ratio is 1
    full = recommended_levels(
        history, 8, np.array([2, 2]), 1.0, 7, np.array([1.0, 1.0]), cycle_weight=0.5
    )
    assert full.reorder_point.tolist() == [6.0, 6.0]
    assert full.order_up_to == pytest.approx(6 + 10 / 8 * 7)
    assert full.planned_cycle_service.tolist() == [1.0, 1.0]
    # a lower target puts the stock on the cheap SKU first
    cheap_first = recommended_levels(
        history, 8, np.array([2, 2]), 0.9, 7, np.array([1.0, 50.0]), 0.5
    ).reorder_point
    assert cheap_first[0] > cheap_first[1]


def test_recommended_levels_allocate_each_target_separately():
    pattern = [0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 5.0, 1.0]
    history = np.array([pattern] * 4)
    value = np.array([1.0, 50.0, 1.0, 50.0])
    # SKUs 0-1 share target 1.0 (both cover the largest 2-day sum, 6, whatever they cost);
    # SKUs 2-3 share 0.9 and are allocated as the pair above was at 0.9 alone
    mixed = recommended_levels(history, 8, 2, np.array([1.0, 1.0, 0.9, 0.9]), 7, value, 0.5)
    alone = recommended_levels(history[2:], 8, 2, 0.9, 7, value[2:], 0.5)
    assert mixed.reorder_point[:2].tolist() == [6.0, 6.0]
    assert mixed.reorder_point[2:].tolist() == alone.reorder_point.tolist()


def test_lead_time_exceedance_counts_scaled_sums_above_the_position():
    # 2-day sums of [0, 3, 0, 1, 0, 0, 5, 1]: 3, 3, 1, 1, 0, 5, 6
    history = np.array([[0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 5.0, 1.0]] * 2)
    probability = lead_time_exceedance(history, 2, np.array([1.0, 2.0]), np.array([3.0, 3.0]))
    # above 3: {5, 6} -> 2/7; doubled sums 6, 6, 2, 2, 0, 10, 12 above 3: 4/7
    assert probability == pytest.approx([2 / 7, 4 / 7])


def _long(matrix, first_day=dt.date(2024, 1, 1)):
    days = [first_day + dt.timedelta(days=i) for i in range(matrix.shape[1])]
    return pl.DataFrame(
        [
            {"sku": f"S{r}", "day": days[c], "units": float(matrix[r, c])}
            for r in range(matrix.shape[0])
            for c in range(matrix.shape[1])
            if matrix[r, c] > 0
        ]
    ), days


def test_demand_matrix_zero_fills():
    frame = pl.DataFrame(
        {
            "sku": ["B", "A", "A"],
            "day": [dt.date(2024, 1, 3), dt.date(2024, 1, 1), dt.date(2024, 1, 3)],
            "units": [2.0, 1.0, 4.0],
        }
    )
    skus, days, matrix = demand_matrix(frame)
    assert skus == ["A", "B"]
    assert days.astype(str).tolist() == ["2024-01-01", "2024-01-03"]
    assert matrix.tolist() == [[1.0, 4.0], [0.0, 2.0]]


def test_policy_backtest_flags_large_orders_for_both_policies():
    rng = np.random.default_rng(7)
    matrix = rng.poisson(2.0, size=(3, 40)).astype(float)
    matrix[0, 35] = 500.0  # a one-off wholesale order inside the replay
    demand, days = _long(matrix)
    terms = pl.DataFrame(
        {"sku": ["S0", "S1", "S2"], "unit_value": [1.0, 2.0, 3.0], "lead_days": [2, 2, 3]}
    )
    small = {
        "backtest_targets": (0.9, 0.95),
        "backtest_replan_every_days": 5,
        "backtest_history_days": 10,
        "backtest_distribution_days": 20,
    }
    table = policy_backtest(demand, terms, InventorySettings(**small), 3, days[30], days[-1])
    assert table.height == 4
    assert table["policy"].to_list() == ["classic", "classic", "recommended", "recommended"]
    assert (table["large_orders_flagged"] >= 1).all()
    assert (table["large_order_units"] >= 500).all()
    replayed = matrix[:, 30:].sum()
    assert table["units_demanded"].to_list() == [replayed - table["large_order_units"][0]] * 4
    assert (table["skus"] == 3).all() and (table["replay_start"] == days[30]).all()
    assert table["fill_rate"].is_between(0, 1).all()
    assert "made to order" in table["large_order_rule"][0]

    every_unit_from_stock = InventorySettings(
        **{**small, "backtest_targets": (0.9,), "backtest_large_order_multiple": None}
    )
    served_from_stock = policy_backtest(demand, terms, every_unit_from_stock, 3, days[30], days[-1])
    assert served_from_stock["large_orders_flagged"].to_list() == [0, 0]
    assert served_from_stock["units_demanded"][0] == replayed


def test_policy_backtest_needs_history_before_the_replay():
    demand, days = _long(np.ones((1, 10)))
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [1.0], "lead_days": [1]})
    with pytest.raises(ValueError, match="trading days of history.*covers 2024-01-01..2024-01-10"):
        policy_backtest(demand, terms, InventorySettings(), 7, days[5], days[-1])


def test_policy_backtest_needs_a_demand_day_on_or_after_the_replay_start():
    """Bug caught: a replay start after the last demand day (enough history before it, no
    day to replay) let through, failing later with an IndexError instead of saying why."""
    demand, days = _long(np.ones((1, 40)))
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [1.0], "lead_days": [1]})
    settings = InventorySettings(backtest_history_days=10, backtest_distribution_days=20)
    late = days[-1] + dt.timedelta(days=1)
    with pytest.raises(ValueError, match="a demand day on or after it; the demand covers"):
        policy_backtest(demand, terms, settings, 7, late, late)


def test_a_sku_first_sold_exactly_the_history_window_before_the_replay_is_replayed():
    """Bug caught: a SKU whose first sale lies exactly ``backtest_history_days`` (10) days
    before the replay left out as too new: S1 first sells on day 20, the replay starts on
    day 30, so both SKUs are replayed; S2, first sold on day 21, is not."""
    matrix = np.ones((3, 60))
    matrix[1, :20] = 0.0
    matrix[2, :21] = 0.0
    demand, days = _long(matrix)
    terms = pl.DataFrame({"sku": ["S0", "S1", "S2"], "unit_value": [1.0] * 3, "lead_days": [1] * 3})
    settings = InventorySettings(
        backtest_targets=(0.9,),
        backtest_replan_every_days=10,
        backtest_history_days=10,
        backtest_distribution_days=20,
    )
    table = policy_backtest(demand, terms, settings, 3, days[30], days[-1])
    assert set(table["skus"]) == {2}


def test_order_line_demand_reference_cleaning():
    """Bugs caught: a sale reversed within the window kept as demand (or one reversed later
    dropped), guest sales or adjustments mishandled, one-unit sales dropped or zero-unit
    lines counted as sales."""
    t = dt.datetime(2011, 3, 1, 10, 0)
    hour = dt.timedelta(hours=1)
    rows = [
        # sku, at, quantity, price, customer, status, is_product
        ("A", t, 10, 1.0, "c1", "placed", True),  # reversed 2 h later: not demand
        ("A", t + 2 * hour, -10, 1.0, "c1", "cancelled", True),
        ("A", t, 5, 1.0, "c2", "placed", True),  # its cancellation comes 30 h later: still demand
        ("A", t + 30 * hour, -5, 1.0, "c2", "cancelled", True),
        ("A", t + hour, 3, 2.0, None, "placed", True),  # guest sale
        ("A", t + hour, -7, 0.0, None, "placed", True),  # stock adjustment
        ("B", t, 4, 0.0, "c3", "placed", True),  # zero price: adjustment
        ("POST", t, 1, 15.0, "c3", "placed", False),
        ("A", t + 24 * hour, 2, 1.0, "c4", "placed", True),  # next day, then a dropped day
        ("A", t + 48 * hour, 9, 1.0, "c4", "placed", True),
        ("C", t, 1, 3.0, "c5", "placed", True),  # a single unit is demand
        ("D", t, 0, 2.0, "c6", "placed", True),  # no units: no sale (and no price)
    ]
    lines = pl.DataFrame(
        rows,
        schema=[
            "sku",
            "ordered_at",
            "quantity",
            "unit_price",
            "customer_id",
            "order_status",
            "is_product",
        ],
        orient="row",
    )
    demand, prices = order_line_demand(lines, drop_days=[dt.date(2011, 3, 3)])
    assert demand.rows() == [
        ("A", dt.date(2011, 3, 1), 8.0),
        ("A", dt.date(2011, 3, 2), 2.0),
        ("C", dt.date(2011, 3, 1), 1.0),
    ]
    assert prices.rows() == [("A", 1.0), ("C", 3.0)]  # A: median of 1.0, 2.0, 1.0


def test_policy_backtest_refuses_two_terms_for_one_sku():
    """Bug caught: the error naming another repeated SKU than the first, or counting another
    SKU's rows: S0 has 2 rows and S1, repeated after it, 3."""
    demand, days = _long(np.ones((1, 130)))
    terms = pl.DataFrame(
        {
            "sku": ["S0", "S1", "S0", "S1", "S1"],
            "unit_value": [1.0, 2.0, 2.0, 1.0, 1.0],
            "lead_days": [1, 2, 2, 1, 1],
        }
    )
    with pytest.raises(ValueError, match="SKU 'S0' has 2 rows of unit value"):
        policy_backtest(demand, terms, InventorySettings(), 7, days[120], days[-1])


def test_a_sku_that_never_sold_before_the_replay_end_is_not_replayed():
    """Bug caught: a SKU whose demand rows are all 0 (no sale up to the replay end) given a
    first sale on day 0 (or on the day numbered by the SKU count) and replayed as if it
    had the history. S1 has rows of 0 units only; S0 sells 1 a day."""
    demand, days = _long(np.ones((1, 60)))
    never_sold = pl.DataFrame({"sku": ["S1"] * 60, "day": days, "units": [0.0] * 60})
    terms = pl.DataFrame({"sku": ["S0", "S1"], "unit_value": [1.0] * 2, "lead_days": [1] * 2})
    settings = InventorySettings(
        backtest_targets=(0.9,),
        backtest_replan_every_days=10,
        backtest_history_days=10,
        backtest_distribution_days=20,
    )
    table = policy_backtest(pl.concat([demand, never_sold]), terms, settings, 3, days[30], days[-1])
    assert set(table["skus"]) == {1}


def test_the_large_order_rule_in_words_names_its_multiple_quantile_and_window():
    """Bug: the report's rule naming another percentile than the one applied (the 0.99
    quantile shown as "0.99th" or "99.99th"), or dropping the multiple or the window."""
    settings = InventorySettings(backtest_large_order_multiple=3.0, backtest_distribution_days=60)
    rule = RecommendedPolicyRule.from_settings(settings, review_days=7)
    assert rule.large_order_text() == (
        "a SKU-day above 3x the SKU's median selling day and its 99th percentile (trailing "
        "60 days) is made to order, not served from stock"
    )
    unflagged = RecommendedPolicyRule.from_settings(
        InventorySettings(backtest_large_order_multiple=None), review_days=7
    )
    assert unflagged.large_order_text() == "none flagged: every order is served from stock"


def test_replanning_follows_a_demand_that_jumps():
    """Bug caught: the replans' levels never applied (the first plan's kept for the whole
    replay), so the backtest measured a policy that never replans. Demand jumps from 1 to
    10 a day when the replay starts: replanned every 5 days the policy catches up and
    serves far more than the same policy planned once for the whole replay."""
    matrix = np.concatenate([np.ones((1, 40)), np.full((1, 40), 10.0)], axis=1)
    demand, days = _long(matrix)
    terms = pl.DataFrame({"sku": ["S0"], "unit_value": [1.0], "lead_days": [2]})

    def fill_rates(every: int) -> dict[str, float]:
        settings = InventorySettings(
            backtest_targets=(0.9,),
            backtest_replan_every_days=every,
            backtest_history_days=10,
            backtest_distribution_days=20,
        )
        table = policy_backtest(demand, terms, settings, 3, days[40], days[-1])
        return dict(table.select("policy", "fill_rate").iter_rows())

    replanned, once = fill_rates(5), fill_rates(1000)
    for policy in ("classic", "recommended"):
        assert replanned[policy] > once[policy] + 0.2, policy


def test_order_line_demand_a_day_without_cancellations_is_a_trading_day():
    """Bug caught: trading days taken from the cancelled lines instead of the placed ones,
    which drops every day on which nobody cancelled (the reference fixture above has a
    cancellation on each of its days, so it cannot tell)."""
    t = dt.datetime(2011, 3, 1, 10, 0)
    lines = pl.DataFrame(
        {
            "sku": ["A", "A", "A"],
            "ordered_at": [t, t + dt.timedelta(days=1), t + dt.timedelta(days=1, hours=1)],
            "quantity": [4, 2, -1],
            "unit_price": [1.0, 1.0, 1.0],
            "customer_id": ["c1", "c2", "c3"],
            "order_status": ["placed", "placed", "cancelled"],
            "is_product": [True, True, True],
        }
    )
    demand, _ = order_line_demand(lines)
    assert demand.rows() == [("A", dt.date(2011, 3, 1), 4.0), ("A", dt.date(2011, 3, 2), 2.0)]
