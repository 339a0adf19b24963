"""Equivalent survivors of forecasting/policy_levels.py, the reorder levels of the classic
and the recommended policy (see mutation/equivalent.py, which reads these too; the rest of
the reorder steps' are in mutation/equivalent_reorder.py).

The recommended policy finds its service multiplier by bisection: the bracket's first
end, its growth and the comparison with the target only decide how the least multiplier
reaching the target is closed in on, and after 50 halvings every such variant stops
within about 1e-15 of it, inside the interval where the plan is the same. Those
entries were also compared on 432 random catalogs (12 seeds, three demand scales, four
targets, three blends): the same reorder point for every SKU of every one.

Each entry is (file, the mutant's change exactly as the report prints it) -> why no input
the code can receive tells the mutant from the original.
"""

from __future__ import annotations

ONE_DAY_ZEROS_BROADCAST = (
    "the zero sd is taken only for a history of at most one day; the policy backtest (the "
    "only caller) plans from at least one day (its replay starts after "
    "backtest_distribution_days >= 1 days and the window is backtest_history_days >= 1), so "
    "the history has exactly one day and np.zeros(1) broadcasts against the SKUs' means to "
    "the same reorder points as np.zeros(SKUs)"
)

BRACKET_ONLY = (
    "the bracket only sets where the bisection starts: either bracket holds the least "
    "multiplier whose picks reach the target, and 50 halvings narrow it to within 1e-15 of "
    "the bracket's width, where the picks (an argmin that changes at finitely many "
    "multipliers) are the same unless two of them fall within a rounding error of each "
    "other; a target no pick reaches stops both at their first bracket above 1e18, where "
    "every SKU takes its highest-gain candidate"
)

SAME_LITERAL = "1e18 and 1e+18 are the same float: the mutant is the same code"

NEVER_EXACTLY_1E18 = (
    "high is 4 to a whole power, never exactly 1e18 (which has the factor 5^18), so < and "
    "<= stop the growth at the same step"
)

NO_DAY_MEANS_ZERO = (
    "with no day at all the mutated test lets the mean run over an empty slice: nanmean "
    "gives NaN, which nan_to_num turns into the same 0 per SKU the shortcut returns (and "
    "with no SKU both give an empty array)"
)

ONE_SUM_IS_EVERY_CANDIDATE = (
    "a SKU with exactly one known L-day sum has that sum as every candidate (each quantile "
    "of one value, method 'higher'), which covers it: the computed share is 1/1, the value "
    "the mutant gives it"
)

NO_SALES_NO_CHOICE = (
    "the floor acts only when the sum is 0, that is when no SKU sold anything (every "
    "mean, and so every order rate, is 0): every candidate of every SKU is then 0, so "
    "whatever the gains (0, or NaN after 0 / 0) every pick is a reorder point of 0 covering "
    "every sum, the plan the original makes"
)

POLICY_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: return np.full((history.shape[0], 1), np.nan)  ->  "
        "return np.full((history.shape[0], 2), np.nan)",
    ): "one unknown L-day sum or two: a SKU with no known sum is planned from its level "
    "and has no exceedance either way (every use counts the known sums only)",
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: sd = history.std(axis=1, ddof=1) if history.shape[1] > 1 else "
        "np.zeros(history.shape[0])  ->  sd = history.std(axis=1, ddof=1) if history.shape[1] "
        "> 1 else np.zeros(history.shape[ 1])",
    ): ONE_DAY_ZEROS_BROADCAST,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: high *= 4  ->  high *= 3",
    ): BRACKET_ONLY,
    (
        "forecasting/policy_levels.py",
        "ComparisonOperator_Lt_LtE: while choose(high)[1] < target and high < 1e18:  ->  "
        "while choose(high)[1] <= target and high < 1e18:",
    ): BRACKET_ONLY,
    (
        "forecasting/policy_levels.py",
        "ComparisonOperator_Lt_LtE: while choose(high)[1] < target and high < 1e18:  ->  "
        "while choose(high)[1] < target and high <= 1e18:",
    ): NEVER_EXACTLY_1E18,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: while choose(high)[1] < target and high < 1e18:  ->  while "
        "choose(high)[1] < target and high < 1e+18:",
    ): SAME_LITERAL,
    ("forecasting/policy_levels.py", "NumberReplacer: high *= 4  ->  high *= 5"): BRACKET_ONLY,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: low, high = 0.0, 1.0  ->  low, high = 0.0, 2.0",
    ): BRACKET_ONLY,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: sd = history.std(axis=1, ddof=1) if history.shape[1] > 1 else "
        "np.zeros(history.shape[0])  ->  sd = history.std(axis=1, ddof=1) if "
        "history.shape[1] > 1 else np.zeros(history.shape[ -1])",
    ): ONE_DAY_ZEROS_BROADCAST,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: if not history.shape[1]:  ->  if not history.shape[ 0]:",
    ): NO_DAY_MEANS_ZERO,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: mean = np.nan_to_num(np.nanmean(history, axis=1)) if "
        "history.shape[1] else np.zeros(n_skus)  ->  mean = "
        "np.nan_to_num(np.nanmean(history, axis=1)) if history.shape[ 0] else "
        "np.zeros(n_skus)",
    ): NO_DAY_MEANS_ZERO,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: counted[rows, None] > 0,  ->  counted[rows, None] > 1,",
    ): ONE_SUM_IS_EVERY_CANDIDATE,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: gain = cycle_weight * cycles_per_day[:, None] * covered / "
        "max(cycles_per_day.sum(), 1e-12)  ->  gain = cycle_weight * cycles_per_day[:, None] "
        "* covered / max(cycles_per_day.sum(), -0.999999999999)",
    ): NO_SALES_NO_CHOICE,
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: gain -= (1 - cycle_weight) * cycles_per_day[:, None] * shortage / "
        "max(mean.sum(), 1e-12)  ->  gain -= (1 - cycle_weight) * cycles_per_day[:, None] * "
        "shortage / max(mean.sum(), -0.999999999999)",
    ): NO_SALES_NO_CHOICE,
}
