"""Equivalent survivors of forecasting/'s policy backtest: the replay of stock day by day,
the budget it may spend, and the backtest that drives both (see mutation/equivalent.py,
which reads these too; the levels they replay are in mutation/equivalent_policy.py, the
rest of the reorder steps' in mutation/equivalent_reorder.py).

Each entry is (file, the mutant's change exactly as the report prints it) -> why no input
the code can receive tells the mutant from the original.
"""

from __future__ import annotations

PREFIX_IS_A_SHORTCUT = (
    "the prefix funded at once is a shortcut of the first-fit walk below it: the orders "
    "the narrower tolerance leaves out of the prefix are the next ones the walk tries, and "
    "it funds each, in the same order, by the same test (cost <= balance left + 1e-9, the "
    "prefix's test written per order). The two can part only where a running cost lands "
    "within a rounding error (~1e-16 of the balance) of balance + 1e-9, a tolerance chosen "
    "to absorb such rounding in the first place"
)


BALANCE_TOLERANCE = (
    "the 1e-9 above the balance is the tolerance that lets an order costing exactly the "
    "balance left (up to float rounding of the subtractions) be funded; < and <= (or > and "
    ">=) part only where a cost of cent prices times whole units equals balance + 1e-9 to "
    "the last bit, which such sums never land on (an order costing the balance itself is "
    "funded either way: tests/forecasting/test_budget_replay.py)"
)


ZERO_ORDERS_COST_NOTHING = (
    "the quantities are whole units >= 0 (policy_replay passes np.maximum(ceil(...), 0)), "
    "so the change only adds the zero orders: they cost 0, so the prefix's running costs, "
    "the balance and the cheapest-left break test on the other orders are unchanged, and "
    "funding one writes the 0 already there; the other orders keep their relative order "
    "(lexsort is a total order on priority, then row)"
)


ARRIVALS_ROWS = (
    "the arrivals array only has to hold the days orders arrive on: an order placed on the "
    "last day (n_days - 1) arrives on day n_days - 1 + lead, so n_days + the longest lead "
    "rows are enough and the +1 is a spare row; the loop reads rows 0 .. n_days - 1 only. "
    "Every lead is at least 1 (_checked_lead_days raises otherwise), so max(initial=1) or "
    "max(initial=-1) is the same longest lead, and without SKUs nothing is ever written; "
    "one row more or one fewer (the spare) holds the same values in the rows read"
)


REPLAY_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "forecasting/budget_replay.py",
        "BinaryOperator_Add_Sub: top = int(np.searchsorted(np.cumsum(values), self.balance "
        '+ 1e-9, side="right"))  ->  top = int(np.searchsorted(np.cumsum(values), '
        'self.balance - 1e-9, side="right"))',
    ): PREFIX_IS_A_SHORTCUT,
    (
        "forecasting/budget_replay.py",
        "NumberReplacer: top = int(np.searchsorted(np.cumsum(values), self.balance + 1e-9, "
        'side="right"))  ->  top = int(np.searchsorted(np.cumsum(values), self.balance + '
        '-0.999999999, side="right"))',
    ): PREFIX_IS_A_SHORTCUT,
    (
        "forecasting/budget_replay.py",
        "NumberReplacer: if cheapest_left[rank] > self.balance + 1e-9:  ->  "
        "if cheapest_left[rank] > self.balance + 1.000000001:",
    ): "the break is a shortcut: once even the cheapest order left costs more than the "
    "balance + 1e-9, the test below it (cost <= balance + 1e-9) funds none of them and the "
    "balance stays put, so walking on (the looser break) funds nothing more; only slower",
    (
        "forecasting/budget_replay.py",
        "ComparisonOperator_Gt_GtE: if cheapest_left[rank] > self.balance + 1e-9:  ->  "
        "if cheapest_left[rank] >= self.balance + 1e-9:",
    ): BALANCE_TOLERANCE,
    (
        "forecasting/budget_replay.py",
        "ComparisonOperator_LtE_Lt: if values[rank] <= self.balance + 1e-9:  ->  "
        "if values[rank] < self.balance + 1e-9:",
    ): BALANCE_TOLERANCE,
    (
        "forecasting/budget_replay.py",
        "ComparisonOperator_Gt_GtE: wanted = np.flatnonzero(quantity > 0)  ->  "
        "wanted = np.flatnonzero(quantity >= 0)",
    ): ZERO_ORDERS_COST_NOTHING,
    (
        "forecasting/budget_replay.py",
        "NumberReplacer: wanted = np.flatnonzero(quantity > 0)  ->  "
        "wanted = np.flatnonzero(quantity > -1)",
    ): ZERO_ORDERS_COST_NOTHING,
    (
        "forecasting/budget_replay.py",
        "TrueWithFalse: for history, levels in zip(histories, plans, strict=True)  ->  "
        "for history, levels in zip(histories, plans, strict=False)",
    ): "the one caller (forecasting/policy_backtest.py) appends one plan per history in the "
    "same loop (zip(plan_days, histories, strict=True)), so the lists always have the same "
    "length and strict never raises",
    (
        "forecasting/budget_replay.py",
        "TrueWithFalse: for ranking, weight in zip(RANKINGS, (0.0, customer_weight), "
        "strict=True):  ->  for ranking, weight in zip(RANKINGS, (0.0, customer_weight), "
        "strict=False):",
    ): "RANKINGS and the tuple of weights are both two literals long, so strict never raises",
    (
        "forecasting/budget_replay.py",
        "NumberReplacer: per_day = budget_share * uncapped.order_value / max(replay.shape[1], "
        "1)  ->  per_day = budget_share * uncapped.order_value / max(replay.shape[1], 0)",
    ): "the replay has at least one day: policy_backtest (the one caller) raises before it "
    "when the replay start is past the last demand day, so max(days, 0) == max(days, 1)",
    (
        "forecasting/policy_backtest.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "ReplaySkus is built once per backtest by _replayed_skus and only read: no code assigns "
    "to its fields or hashes one (checked with grep); frozen only forbids that",
    (
        "forecasting/policy_backtest.py",
        "TrueWithFalse: for plan, history in zip(plan_days, histories, strict=True):  ->  "
        "for plan, history in zip(plan_days, histories, strict=False):",
    ): "_cleanse_large_orders appends one history per day of the same plan_days range it is "
    "given, so the two always have the same length and strict never raises",
    (
        "forecasting/policy_backtest.py",
        'NumberReplacer: lead_days=np.maximum(terms["lead_days"].to_numpy()[eligible].astype('
        'np.int64), 1),  ->  lead_days=np.maximum(terms["lead_days"].to_numpy()[eligible]'
        ".astype(np.int64), 0),",
    ): "lead_days is at least 1 on every input (policy_backtest's contract): the pipeline's "
    "terms come from lead_trading_days (forecasting/reorder_inputs.py), which floors the "
    "trading-day lead at 1 itself, and the benches pass fixed leads of 5 or more; so "
    "max(lead, 0) is max(lead, 1) is lead (a lead of 1 is checked by hand in "
    "tests/forecasting/test_policy_backtest_by_hand.py, which kills the floor of 2)",
    (
        "forecasting/policy_replay.py",
        "ComparisonOperator_Gt_GtE: lost = demand_by_day[t] - sold > 1e-9  ->  "
        "lost = demand_by_day[t] - sold >= 1e-9",
    ): "not strictly equivalent: a tolerance not pinned by design. The 1e-9 keeps float "
    "rounding of the stock arithmetic (fractional opening levels less whole sales) from "
    "counting as a lost sale; > and >= part only where the shortfall equals the double "
    "1e-9 to the last bit, which whole-unit demand less a level's stock never lands on",
    (
        "forecasting/policy_replay.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a ReplayResult's fields or hashes one (checked with grep; a test "
    "copies one with dataclasses.replace, which builds a new one either way); frozen only "
    "forbids that",
    (
        "forecasting/policy_replay.py",
        "NumberReplacer: arrivals = np.zeros((n_days + int(lead.max(initial=0)) + 1, n_skus))  "
        "->  arrivals = np.zeros((n_days + int(lead.max(initial= 1)) + 1, n_skus))",
    ): ARRIVALS_ROWS,
    (
        "forecasting/policy_replay.py",
        "NumberReplacer: arrivals = np.zeros((n_days + int(lead.max(initial=0)) + 1, n_skus))  "
        "->  arrivals = np.zeros((n_days + int(lead.max(initial= -1)) + 1, n_skus))",
    ): ARRIVALS_ROWS,
    (
        "forecasting/policy_replay.py",
        "NumberReplacer: arrivals = np.zeros((n_days + int(lead.max(initial=0)) + 1, n_skus))  "
        "->  arrivals = np.zeros((n_days + int(lead.max(initial=0)) + 2, n_skus))",
    ): ARRIVALS_ROWS,
    (
        "forecasting/policy_replay.py",
        "NumberReplacer: arrivals = np.zeros((n_days + int(lead.max(initial=0)) + 1, n_skus))  "
        "->  arrivals = np.zeros((n_days + int(lead.max(initial=0)) + 0, n_skus))",
    ): ARRIVALS_ROWS,
    (
        "forecasting/policy_replay.py",
        "NumberReplacer: position <= reorder_by_day[t], np.ceil(up_to_by_day[t] - position - "
        "1e-9), 0.0  ->  position <= reorder_by_day[t], np.ceil(up_to_by_day[t] - position - "
        "1e-9), -1.0",
    ): "the -1 goes only to SKUs not due an order, and every use of quantity ignores it: the "
    "fund is handed np.maximum(quantity, 0.0), the order value adds np.maximum(quantity, "
    "0.0), and an order is placed only where quantity > 0",
    (
        "forecasting/policy_replay.py",
        "NumberReplacer: quantity = fund(t, position, np.maximum(quantity, 0.0))  ->  "
        "quantity = fund(t, position, np.maximum(quantity, -1.0))",
    ): "the one fund there is, budget_replay.OpenToBuy, funds only quantities > 0 and returns "
    "0 for every other row (np.zeros_like, then the wanted rows), so a -1 handed to it "
    "comes back 0 as a 0 does; and the backtest's levels never ask for a negative order "
    "(order-up-to >= reorder point >= the position that orders)",
}
