"""Equivalent survivors of the CLV models (forecasting/clv/): see mutation/equivalent.py,
which reads these too. The reorder step's are in mutation/equivalent_reorder.py."""

from __future__ import annotations

from mutation.equivalent_reorder import NO_ZERO_QUANTITY, WHOLE_QUANTITIES

SUMMARY_SPEND_NEEDS_A_REPEAT = (
    "every caller passes the CLV summary's frequency and monetary_value (fit_spend and "
    "holdout_spend_errors from forecasting/clv/tables.py and scoring.py, gamma_gamma.fit "
    "through fit_spend and from bench/clv_fit.py): frequencies are whole counts >= 0, so "
    "x > -1 is x >= 0, and a customer with x = 0 has no repeat purchase, so a monetary value "
    "of exactly 0 (the missing mean repeat spend filled with 0, times a kept share in 0..1): "
    "spend > 0 already leaves them out, with x > 0 or without"
)

KEPT_SHARE_IS_NEVER_NULL = (
    "kept is never null, so its fill_null fills nothing: the left join finds a refund-share "
    "row for every cohort customer (each has a purchase day on or before the calibration "
    "end, their first, and refund_share groups those days), and the share is a when / "
    "otherwise over sums that polars never leaves null (an empty selection sums to 0)"
)


FIT_PENALTY = (
    "not strictly equivalent: a tolerance not pinned by design. The penalty only has to be "
    "worse than every finite objective the fits meet (minus the mean log-likelihood per "
    "customer, a few units); L-BFGS-B's line search backs off from a penalised point "
    "whatever its value, and a penalty 1 apart in 1e12 moves the next trial step by about "
    "1e-12 of itself, far inside the tolerances the fitted CDNOW and hand-worked values "
    "are checked to"
)


FIT_STOPS_ON_FTOL = (
    "not strictly equivalent: a tolerance not pinned by design. With a negative gtol the "
    "gradient test never passes and the fit stops on ftol = 1e-14 (the relative change of "
    "the objective), which the tight setting reaches within float noise of the same "
    "optimum; the fits report converged either way, and every fitted value the tests "
    "check agrees to their tolerances"
)


FIT_ITERATION_CAP = (
    "not strictly equivalent: a cap not pinned by design. Every fit the tests make (CDNOW "
    "subsets, hand-worked and simulated cohorts) converges in well under 999 iterations, "
    "so a cap one higher or lower changes nothing they can see; only a fit still moving at "
    "its 999th iteration would report converged differently"
)


CLV_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "forecasting/clv/pareto_nbd.py",
        "ComparisonOperator_Lt_LtE: if abs(s - 1.0) < 1e-9:  ->  if abs(s - 1.0) <= 1e-9:",
    ): "the two branches are one continuous function of s: -expm1((s - 1) L) / (s - 1) tends "
    "to -L as s -> 1, and at |s - 1| = 1e-9 (the only s the change moves to the other "
    "branch) they differ by a relative (s - 1) L / 2, about 1e-9 x |L| with L the log "
    "ratio, below the noise of the fitted parameters that give s",
    (
        "forecasting/clv/summary.py",
        'ComparisonOperator_Lt_LtE: reversed=(-stable_sum(pl.col("line_amount").filter('
        'pl.col("quantity") < 0))).cast(  ->  reversed=(-stable_sum(pl.col("line_amount")'
        '.filter(pl.col("quantity") <= 0))).cast(',
    ): NO_ZERO_QUANTITY
    + " (the CLV reads staging.stg_order_lines, assets/clv.py; the CDNOW sample the tests "
    "and the benchmark read has no line of 0 CDs)",
    (
        "forecasting/clv/applicability.py",
        'NumberReplacer: held = scored[0]["holdout_actual"]  ->  held = scored[ -1]["holdout_actual"]',
    ): "every calibration row carries the same holdout_actual, the holdout repeat purchases "
    "of all calibration customers (forecasting/clv/tables.py sets it to actual.sum() for "
    "each model), so the first and the last scored row give the same count",
    (
        "forecasting/clv/applicability.py",
        "NumberReplacer: f\"per customer: {errors}; naive {scored[0]['naive_mae']:.3f})\"  ->  "
        "f\"per customer: {errors}; naive {scored[ -1]['naive_mae']:.3f})\"",
    ): "every calibration row carries the same naive_mae, the baseline's error computed once "
    "per run (forecasting/clv/tables.py), so the first and the last scored row give the same",
    (
        "forecasting/clv/fitting.py",
        "TrueWithFalse: params = dict(zip(names, np.exp(result.x).tolist(), strict=True))  "
        "->  params = dict(zip(names, np.exp(result.x).tolist(), strict=False))",
    ): "the optimiser starts from np.zeros(len(names)) and returns a vector of the same "
    "length, so names and result.x always pair up and strict never raises",
    (
        "forecasting/clv/fitting.py",
        "NumberReplacer: return value if np.isfinite(value) else 1e12  ->  "
        "return value if np.isfinite(value) else 1000000000001.0",
    ): FIT_PENALTY,
    (
        "forecasting/clv/fitting.py",
        "NumberReplacer: return value if np.isfinite(value) else 1e12  ->  "
        "return value if np.isfinite(value) else 999999999999.0",
    ): FIT_PENALTY,
    (
        "forecasting/clv/fitting.py",
        'NumberReplacer: options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1000},  ->  '
        'options={"ftol": 1e-14, "gtol": -0.999999999, "maxiter": 1000},',
    ): FIT_STOPS_ON_FTOL,
    (
        "forecasting/clv/fitting.py",
        'NumberReplacer: options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1000},  ->  '
        'options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1001},',
    ): FIT_ITERATION_CAP,
    (
        "forecasting/clv/fitting.py",
        'NumberReplacer: options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 1000},  ->  '
        'options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 999},',
    ): FIT_ITERATION_CAP,
    (
        "forecasting/clv/gamma_gamma.py",
        "ComparisonOperator_Gt_GtE: usable = (x > 0) & (mean_spend > 0)  ->  "
        "usable = (x >= 0) & (mean_spend > 0)",
    ): SUMMARY_SPEND_NEEDS_A_REPEAT,
    (
        "forecasting/clv/gamma_gamma.py",
        "NumberReplacer: usable = (x > 0) & (mean_spend > 0)  ->  "
        "usable = (x > -1) & (mean_spend > 0)",
    ): SUMMARY_SPEND_NEEDS_A_REPEAT,
    (
        "forecasting/clv/spend.py",
        "ComparisonOperator_Gt_GtE: repeaters = int(((x > 0) & (spend > 0)).sum())  ->  "
        "repeaters = int(((x >= 0) & (spend > 0)).sum())",
    ): SUMMARY_SPEND_NEEDS_A_REPEAT,
    (
        "forecasting/clv/spend.py",
        "NumberReplacer: repeaters = int(((x > 0) & (spend > 0)).sum())  ->  "
        "repeaters = int(((x > -1) & (spend > 0)).sum())",
    ): SUMMARY_SPEND_NEEDS_A_REPEAT,
    (
        "forecasting/clv/spend.py",
        "ComparisonOperator_Gt_GtE: known = (x > 0) & (spend > 0)  ->  "
        "known = (x >= 0) & (spend > 0)",
    ): SUMMARY_SPEND_NEEDS_A_REPEAT,
    (
        "forecasting/clv/spend.py",
        "NumberReplacer: known = (x > 0) & (spend > 0)  ->  known = (x > -1) & (spend > 0)",
    ): SUMMARY_SPEND_NEEDS_A_REPEAT,
    (
        "forecasting/clv/summary.py",
        'ComparisonOperator_Gt_GtE: is_sale = (pl.col("order_status") == "placed") & '
        '(pl.col("quantity") > 0)  ->  is_sale = (pl.col("order_status") == "placed") & '
        '(pl.col("quantity") >= 0)',
    ): NO_ZERO_QUANTITY + " (the CLV reads staging.stg_order_lines, assets/clv.py)",
    (
        "forecasting/clv/summary.py",
        'NumberReplacer: is_sale = (pl.col("order_status") == "placed") & '
        '(pl.col("quantity") > 0)  ->  is_sale = (pl.col("order_status") == "placed") & '
        '(pl.col("quantity") > -1)',
    ): NO_ZERO_QUANTITY
    + " (the CLV reads staging.stg_order_lines, assets/clv.py)."
    + WHOLE_QUANTITIES,
    (
        "forecasting/clv/summary.py",
        'NumberReplacer: reversed=(-stable_sum(pl.col("line_amount").filter('
        'pl.col("quantity") < 0))).cast(  ->  reversed=(-stable_sum(pl.col("line_amount")'
        '.filter(pl.col("quantity") < 1))).cast(',
    ): NO_ZERO_QUANTITY
    + " (the CLV reads staging.stg_order_lines, assets/clv.py)."
    + WHOLE_QUANTITIES,
    (
        "forecasting/clv/summary.py",
        'NumberReplacer: (pl.col("repeat_spend").fill_null(0.0) * '
        'pl.col("kept").fill_null(1.0)).alias(  ->  (pl.col("repeat_spend").fill_null(0.0) * '
        'pl.col("kept").fill_null( 2.0)).alias(',
    ): KEPT_SHARE_IS_NEVER_NULL,
    (
        "forecasting/clv/summary.py",
        'NumberReplacer: (pl.col("repeat_spend").fill_null(0.0) * '
        'pl.col("kept").fill_null(1.0)).alias(  ->  (pl.col("repeat_spend").fill_null(0.0) * '
        'pl.col("kept").fill_null( 0.0)).alias(',
    ): KEPT_SHARE_IS_NEVER_NULL,
    (
        "forecasting/clv/pareto_nbd.py",
        "ComparisonOperator_GtE_Gt: if alpha >= beta:  ->  if alpha > beta:",
    ): "the change moves only alpha == beta to the other branch, and there the branches agree "
    "to the bit: high is alpha = beta either way, and the gap is 0, so z = gap / (high + t) "
    "= 0, log1p(-0) = 0 and 2F1(1, .; .; 0) = 1: log_hyp2f1_c_eq_a_plus_1 is 0 whatever b is",
    (
        "forecasting/clv/scoring.py",
        "OrWithAnd: if fit is None or selected is None:  ->  if fit is None and selected is None:",
    ): "_outputs has one caller, score_customers, which passes `selected if fit else None` and "
    "fits only when a model was selected (otherwise its reason is set and fit is None): in "
    "_outputs fit is None exactly when selected is, so `or` and `and` return early together",
    (
        "forecasting/clv/value.py",
        "NumberReplacer: steps = max(1, math.ceil(horizon_days / STEP_DAYS))  ->  "
        "steps = max( 0, math.ceil(horizon_days / STEP_DAYS))",
    ): "a horizon of 0 days or less raises just above, so horizon_days / 30 > 0 and its "
    "ceiling is at least 1: max(0, n) is max(1, n)",
    (
        "forecasting/clv/fitting.py",
        'NumberReplacer: with threadpool_limits(limits=1, user_api="blas"):  ->  '
        'with threadpool_limits(limits= 0, user_api="blas"):',
    ): "speed only: the BLAS thread count changes the fit's CPU time, not its bits (the "
    "comment above the line). limits=0 leaves the count as it is, and the runner already runs "
    "BLAS on one thread (mutation/__main__.py sets OPENBLAS_NUM_THREADS=1 before numpy "
    "loads), so no test can tell it from limits=1 under the runner; in the ordinary suite "
    "tests/forecasting/clv/test_fit_threads.py fails on it (checked by hand)",
}
