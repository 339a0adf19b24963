"""Surviving mutants that are equivalent: no input the code can receive tells them apart.

Each entry is (file, the mutant's change exactly as the report prints it) -> why no test
can kill it. The report marks these survivors and counts them beside the killed ones; a
survivor not listed here is a bug the suite would miss.
"""

from __future__ import annotations

from mutation.equivalent_ingest import INGEST_EQUIVALENT

BATCH_SIZE = (
    "the batch size only sets how many rows travel to pandas at once; the verdict, counts and "
    "examples add up over batches (tests/quality/test_validate_batches.py)"
)

FROZEN = (
    "no code assigns to a field of one or hashes one (checked with grep); frozen only forbids that"
)
ONE_ROW = "the query returns exactly one row (a count or a single aggregate), so [0] is [-1]"
ONE_VALUE = "the query returns one row of one column (a max), so [0] and [-1] pick the same value"
ONE_RESULT = "record_results hands back the one result it was given, so [0] is [-1]"
FINGERPRINT = (
    "the fingerprint is only compared with fingerprints the same code wrote; its length "
    "changes no verdict (a warehouse written with the other length is validated whole once)"
)

NO_WRITE_VALIDATED = (
    "-1 and 0 both say no write was validated yet: write ids start at 1, so both select "
    "every recorded write, and the newest write covered, max(newest write or 0, after), is "
    "the same"
)

NO_ZERO_QUANTITY = (
    "no order line has quantity 0: the loader quarantines such lines (ingest/rules.py) and "
    "staging.stg_order_lines' quality suite rejects them, so quantity > 0 and >= 0 (or < 0 "
    "and <= 0) select the same lines"
)

ARG_MIN_SKIPS_NULLS = (
    "DuckDB's arg_min(x, order) skips the rows where x is NULL (arg_min_null keeps them), so "
    "the filter restates what arg_min does; tests/assets/sql/test_sessions.py reads a "
    "session whose first event has no dimensions"
)

KEY_REPEATS_SHORTCUT = (
    "`has_key ... and key_repeats ...` only skips the exact duplicate check when it cannot find "
    "anything: key_repeats is false when has_key is (both ignore rows whose key is empty), and "
    "the exact check finds no duplicate where key_repeats finds no repeat; `or` runs the exact "
    "check more often, with the same rows flagged"
)

WHOLE_MATCH_IS_GROUP = (
    "the pattern is one group from end to end, so the whole match (group 0) is group 1"
)
FOUR_DIGITS = (
    "the offset's digits are at most four (the pattern allows two, then two more), so the "
    "minutes are characters 3-4 whether the slice asks for two characters or three"
)
CACHE_SIZE = (
    "the cache only saves re-reading a file version already read; 255 or 256 entries hold "
    "the same results, and the tests never read more than a handful of files"
)

EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "quality/check_log.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): FROZEN,
    (
        "quality/check_scope.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): FROZEN,
    (
        "quality/check_scope.py",
        "NumberReplacer: return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]  ->  "
        "return hashlib.sha256(repr(parts).encode()).hexdigest()[: 15]",
    ): FINGERPRINT,
    (
        "quality/check_scope.py",
        "NumberReplacer: return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]  ->  "
        "return hashlib.sha256(repr(parts).encode()).hexdigest()[: 17]",
    ): FINGERPRINT,
    (
        "quality/suites.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): FROZEN,
    (
        "quality/currency.py",
        'TrueWithFalse: counts = dict(zip(per_currency["currency"], per_currency["lines"], '
        'strict=True))  ->  counts = dict(zip(per_currency["currency"], per_currency["lines"], '
        "strict=False))",
    ): "both are columns of the same frame, so they always have the same length",
    (
        "quality/check_scope.py",
        "AndWithOr: if passed and states >= checks_of_table:  ->  "
        "if passed or states >= checks_of_table:",
    ): "a failed validation keeps its check's last validated write (or 0 on its first), so "
    "it never raises the oldest write every check passed: that write was already forgotten "
    "by the pass that made it the oldest, and forgetting it again deletes nothing",
    (
        "quality/check_scope.py",
        "FalseWithTrue: by_days_only: bool = False  # `where` selects whole values of the day "
        "column  ->  by_days_only: bool = True  # `where` selects whole values of the day column",
    ): "only the scopes of every row (where None) take the default, and key_violations reads "
    "where_holds_whole_keys only together with a `where`",
    (
        "quality/check_scope.py",
        "NumberReplacer: return rows[0] if rows else None  ->  return rows[ -1] if rows else None",
    ): "build_state.validated holds one row per table and check (record_verdict deletes it "
    "before inserting the new one), so [0] is [-1]",
    (
        "quality/check_scope.py",
        "NumberReplacer: after = state[0] if state else 0  ->  after = state[0] if state else -1",
    ): NO_WRITE_VALIDATED,
    (
        "quality/check_scope.py",
        "NumberReplacer: through = scope.through if passed else (state[0] if state else 0)  ->  "
        "through = scope.through if passed else (state[0] if state else -1)",
    ): NO_WRITE_VALIDATED,
    ("quality/check_scope.py", "NumberReplacer: ).fetchall()[0]  ->  ).fetchall()[ -1]"): ONE_ROW,
    (
        "quality/currency.py",
        "NumberReplacer: return record_results(con, context.run.run_id, [result], ORDER_LINES, "
        "CHECK_NAME)[0]  ->  return record_results(con, context.run.run_id, [result], "
        "ORDER_LINES, CHECK_NAME)[ -1]",
    ): ONE_RESULT,
    ("quality/feed_checks.py", "NumberReplacer: )[0]  ->  )[ -1]"): ONE_RESULT,
    (
        "quality/feed_checks.py",
        "NumberReplacer: return record_results(con, context.run.run_id, [result], key, "
        '"customer_types_add_up")[0]  ->  return record_results(con, context.run.run_id, '
        '[result], key, "customer_types_add_up")[ -1]',
    ): ONE_RESULT,
    ("quality/feed_rules.py", "NumberReplacer: ).fetchall()[0]  ->  ).fetchall()[ -1]"): ONE_ROW,
    (
        "quality/feed_rules.py",
        'NumberReplacer: snapshot = con.execute("select max(snapshot_date) from staging.stg_inventory").fetchall()[0][0]  ->  '
        'snapshot = con.execute("select max(snapshot_date) from staging.stg_inventory").fetchall()[ -1][0]',
    ): ONE_VALUE,
    (
        "quality/feed_rules.py",
        'NumberReplacer: snapshot = con.execute("select max(snapshot_date) from staging.stg_inventory").fetchall()[0][0]  ->  '
        'snapshot = con.execute("select max(snapshot_date) from staging.stg_inventory").fetchall()[0][ -1]',
    ): ONE_VALUE,
    (
        "quality/feed_rules.py",
        'NumberReplacer: ordered = con.execute("select max(order_date) from staging.stg_order_lines").fetchall()[0][0]  ->  '
        'ordered = con.execute("select max(order_date) from staging.stg_order_lines").fetchall()[ -1][0]',
    ): ONE_VALUE,
    (
        "quality/feed_rules.py",
        'NumberReplacer: ordered = con.execute("select max(order_date) from staging.stg_order_lines").fetchall()[0][0]  ->  '
        'ordered = con.execute("select max(order_date) from staging.stg_order_lines").fetchall()[0][ -1]',
    ): ONE_VALUE,
    ("quality/table_rules.py", "NumberReplacer: ).fetchall()[0]  ->  ).fetchall()[ -1]"): ONE_ROW,
    (
        "quality/table_rules.py",
        "AndWithOr: if where and not where_holds_whole_keys  ->  "
        "if where or not where_holds_whole_keys",
    ): "the mutant joins the selected keys back to the table also without a `where` (the "
    "table joined to its own non-null keys is its rows with a non-null key, the rows counted "
    "anyway) or when the selected rows hold whole keys (no other row shares one): the same "
    "rows are counted, only slower",
    (
        "quality/table_rules.py",
        "NumberReplacer: rows, *counts = con.execute(f\"select {', '.join(counted)} from "
        '{checked}").fetchall()[0]  ->  rows, *counts = con.execute(f"select '
        "{', '.join(counted)} from {checked}\").fetchall()[ -1]",
    ): ONE_ROW,
    (
        "quality/validate.py",
        'NumberReplacer: shown = failure["examples"][:1]  ->  shown = failure["examples"][: 2]',
    ): "only shown[0] is used, and one example or two make `shown` equally empty or not",
    (
        "quality/validate.py",
        'NumberReplacer: example = f", e.g. {shown[0]}" if shown else ""  ->  '
        'example = f", e.g. {shown[ -1]}" if shown else ""',
    ): "`shown` holds at most one example (the line above keeps [:1]), so [-1] is [0]",
    (
        "quality/validate.py",
        "AndWithOr: if failed and key:  ->  if failed or key:",
    ): "with nothing failed the keyed pass validates no rule, and without a key it repeats the "
    "first pass: the same results either way, only slower",
    (
        "assets/sql/marts/cart_abandonment_daily.sql",
        "drop-condition: `sessions.has_cart` -> `true`",
    ): "a session without a cart has no carted_at, so its row's day is null and the left join "
    "from the day spine never reaches it",
    (
        "assets/sql/marts/cart_abandonment_daily.sql",
        "drop-condition: `sessions.has_checkout` -> `true`",
    ): "a session without a checkout has no checked_out_at, so its row's day is null and the "
    "left join from the day spine never reaches it",
    (
        "assets/sql/marts/funnel_daily.sql",
        "drop-condition: `is_recomputed_day(day)` -> `true`",
    ): "in the sessions CTE (line 19): every row comes from the spine of recomputed days (a "
    "left join), so counting the other days' sessions too only adds work. The spine's own "
    "filter (line 25, the same change) is killed by tests/incremental/test_day_build.py",
    (
        "assets/sql/marts/delivery_feedback.sql",
        "drop-condition: `order_id is not null` -> `true`",
    ): "feedback without an order id never meets the inner join to the deliveries (null "
    "equals nothing), so the filter only drops rows the join drops anyway",
    ("assets/sql/macros.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/macros.sql", "comparison: `<` -> `<=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/cohort_retention.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/cohort_retention.sql", "comparison: `<` -> `<=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/customer_rates_monthly.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/feedback_daily.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/sales_by_sku_daily.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/sales_by_sku_daily.sql", "comparison: `<` -> `<=`"): NO_ZERO_QUANTITY,
    (
        "assets/sql/marts/sales_by_sku_daily.sql",
        "drop-condition: `is_recomputed_day(order_date) and is_rebuilt_sku(sku)` -> `true`",
    ): "the spine starts at the first recomputed day, holds the range's SKUs only, and every "
    "row comes from it (a left join), so summing other days' and SKUs' lines too only adds "
    "work. The skus CTE's filter is killed by tests/incremental/test_sku_ranges.py",
    (
        "assets/sql/marts/sku_demand_daily.sql",
        "drop-condition: `is_recomputed_day(snapshot_date) and is_rebuilt_sku(sku)` -> `true`",
    ): "in the stock CTE: every row comes from the spine of the recomputed days of the "
    "range's SKUs (a left join), so summing other days' and SKUs' stock too only adds work. "
    "The all_lines CTE's filter is killed by tests/incremental/test_sku_ranges.py",
    # The file's other `>` (late: delivered after the promised day) is killed by
    # tests/assets/sql/test_fulfilment.py; only the quantity one can survive.
    ("assets/sql/marts/fulfilment_daily.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    (
        "assets/sql/marts/sessions.sql",
        "drop-filter: `filter (where customer_key is not null)` -> ``",
    ): ARG_MIN_SKIPS_NULLS,
    (
        "assets/sql/marts/sessions.sql",
        "drop-filter: `filter (where device is not null)` -> ``",
    ): ARG_MIN_SKIPS_NULLS,
    (
        "assets/sql/marts/sessions.sql",
        "drop-filter: `filter (where source is not null)` -> ``",
    ): ARG_MIN_SKIPS_NULLS,
    (
        "assets/sql/marts/sessions.sql",
        "drop-filter: `filter (where medium is not null)` -> ``",
    ): ARG_MIN_SKIPS_NULLS,
    (
        "assets/sql/marts/sessions.sql",
        "drop-filter: `filter (where country is not null)` -> ``",
    ): ARG_MIN_SKIPS_NULLS,
    (
        "assets/sql/marts/sessions.sql",
        "drop-filter: `filter (where page is not null)` -> ``",
    ): ARG_MIN_SKIPS_NULLS,
    (
        "assets/sql/marts/sessions.sql",
        "drop-filter: `filter (where visitor_type is not null)` -> ``",
    ): ARG_MIN_SKIPS_NULLS,
    (
        "quality/checks.py",
        "NumberReplacer: VALIDATE_BATCH_ROWS = 1_000_000  ->  VALIDATE_BATCH_ROWS = 1000001",
    ): BATCH_SIZE,
    (
        "quality/checks.py",
        "NumberReplacer: VALIDATE_BATCH_ROWS = 1_000_000  ->  VALIDATE_BATCH_ROWS = 999999",
    ): BATCH_SIZE,
    (
        "ingest/file_results.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code changes a FileResult in place or hashes one (ingest/cross_kind.py copies it "
    "with dataclasses.replace); frozen only forbids that",
    (
        "forecasting/policy_levels.py",
        "NumberReplacer: return np.full((history.shape[0], 1), np.nan)  ->  "
        "return np.full((history.shape[0], 2), np.nan)",
    ): "one unknown L-day sum or two: a SKU with no known sum is planned from its level "
    "and has no exceedance either way (every use counts the known sums only)",
    (
        "ingest/cast.py",
        "AndWithOr: if rules.has_key(kind, text) and frame.select(rules.key_repeats(kind, "
        "_typed, loadable)).item():  ->  if rules.has_key(kind, text) or frame.select("
        "rules.key_repeats(kind, _typed, loadable)).item():",
    ): KEY_REPEATS_SHORTCUT,
    (
        "forecasting/backtest.py",
        'NumberReplacer: .filter(pl.col("windows") > 0)  ->  .filter(pl.col("windows") > -1)',
    ): "windows is clipped at 0, so the change only keeps the series with no window; their "
    "int_ranges(n + 1, n + 1) is an empty list, and the locked polars (2.x) explodes an "
    "empty list into no row (empty_as_null=False), dropping them just the same. The filter "
    "stays for polars 1.x, which turns it into a null row "
    "(tests/forecasting/test_backtest_windows.py reads a too-short series' absence)",
    (
        "forecasting/bucket_series.py",
        "NumberReplacer: return bucket_start(start - dt.timedelta(days=1), bucket)  ->  "
        "return bucket_start(start - dt.timedelta(days= 2), bucket)",
    ): "`start` is the first day of a week or month (bucket_series returns before calling "
    "this for daily buckets); the day before it and the day two before both "
    "lie in the previous week or month (every bucket is at least 7 days long), so "
    "bucket_start maps both to that bucket's first day",
    (
        "forecasting/buckets.py",
        "NumberReplacer: return max(1, math.ceil(calendar_days / CALENDAR_DAYS[bucket] - 1e-9))"
        "  ->  return max( 0, math.ceil(calendar_days / CALENDAR_DAYS[bucket] - 1e-9))",
    ): "the ceiling is at least 1 for every input the callers give: both pass a PositiveInt "
    "setting (horizon or its default, backtest_min_train_days) divided by the trading share "
    "(at most 1), so calendar_days >= 1 and calendar_days / 30.44 - 1e-9 > 0",
    (
        "forecasting/budget_replay.py",
        "BinaryOperator_Add_Sub: top = int(np.searchsorted(np.cumsum(values), self.balance "
        '+ 1e-9, side="right"))  ->  top = int(np.searchsorted(np.cumsum(values), '
        'self.balance - 1e-9, side="right"))',
    ): "the prefix funded at once is a shortcut of the first-fit walk below it: the orders "
    "the narrower tolerance leaves out of the prefix (running cost within 2e-9 of the "
    "balance) are the next ones the walk tries, and it funds each, in the same order, by "
    "the same test (cost <= balance left + 1e-9, the prefix's test written per order). The "
    "two can part only where a running cost lands within a rounding error (~1e-16 of the "
    "balance) of balance + 1e-9, a tolerance chosen to absorb such rounding in the first place",
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
        "forecasting/engine.py",
        "FalseWithTrue: context.enable_progress_bars = False  ->  "
        "context.enable_progress_bars = True",
    ): "Ray Data's progress bars are drawn on the terminal (stderr) while a dataset "
    "executes; the rows statsforecast returns are the same with or without them "
    "(tests/forecasting/test_ray_engine.py compares them with the local engine's)",
    (
        "forecasting/naive_benchmark.py",
        'TrueWithFalse: .group_by("sku", maintain_order=True)  ->  '
        '.group_by("sku", maintain_order=False)',
    ): "maintain_order only fixes the order of the groups (the SKUs) in the result; first() "
    "takes each SKU's first row in the sorted order either way (polars keeps the rows' order "
    "within a group), and the one caller (forecasting/reliability.py) left-joins the result "
    "on sku, so the SKUs' order is never read",
    (
        "forecasting/order_line_demand.py",
        "FalseWithTrue: check_sortedness=False,  ->  check_sortedness=True,",
    ): "both sides of the as-of join are sorted by `at` on the lines just before it, so "
    "the sortedness check can only pass; the joined rows are the same (checked: the "
    "mutant passes tests/forecasting/test_policy_backtest.py with warnings as errors)",
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
        "forecasting/bucketed.py",
        "NumberReplacer: return parts[0]  ->  return parts[ -1]",
    ): "the line runs only under `if len(parts) == 1`: the one part is parts[0] and parts[-1]",
    (
        "forecasting/bucketed.py",
        "NumberReplacer: if len(parts) == 1:  ->  if len(parts) == 0:",
    ): "the test is a shortcut for one part: `parts` is not empty here (the line above "
    "returns first), so the change always takes the general path, and a diagonal concat of "
    "one frame is that frame (same rows, columns and types)",
    (
        "forecasting/bucketed.py",
        'NumberReplacer: return parts[0] if len(parts) == 1 else pl.concat(parts).sort("sku", '
        '"day")  ->  return parts[ -1] if len(parts) == 1 else pl.concat(parts).sort("sku", '
        '"day")',
    ): "with one part, parts[0] and parts[-1] are the same part",
    (
        "forecasting/bucketed.py",
        'NumberReplacer: return parts[0] if len(parts) == 1 else pl.concat(parts).sort("sku", '
        '"day")  ->  return parts[0] if len(parts) == 0 else pl.concat(parts).sort("sku", '
        '"day")',
    ): "the loop appends a part per bucket and always the first, so `parts` is never empty: "
    "the change always concatenates and sorts, and one part already comes sorted by sku, day "
    "(forecast_demand and spread_over_days both end with that sort; "
    "tests/forecasting/test_bucketed_mix.py reads the order), so the rows are the same",
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
        "forecasting/stable_sums.py",
        "NumberReplacer: rows = len(columns[0])  ->  rows = len(columns[ -1])",
    ): "map_batches hands the function columns of one frame (stable_row_mean's callers name "
    "columns of the frame they select from), which all have the frame's height, so the first "
    "and the last column have the same length",
    (
        "forecasting/sorted_rows.py",
        "NumberReplacer: last = max(ordered.shape[1] - 1, 0)  ->  "
        "last = max(ordered.shape[1] - 1, -1)",
    ): "the two differ only for a matrix with no column (0 against -1); then every row's "
    "count of known values is 0, so low == high == 0 from the start, the search loop breaks "
    "before reading `last`, and every share is 0 either way",
    (
        "forecasting/suppliers.py",
        'OrWithAnd: if catalog.is_empty() or catalog["lead_time_days"].null_count() == 0:  ->  '
        'if catalog.is_empty() and catalog["lead_time_days"].null_count() == 0:',
    ): "the early return only skips work: on a catalog whose every row gives a lead time the "
    "filling path fills no value and finds no SKU missing one, and its fill_null keeps the "
    "Float64 the caller's column already has (staging.stg_catalog's lead_time_days is a "
    "float in the export contract; assets/inventory.py is the only caller and never passes "
    "an empty catalog); the frame comes back with the same values, columns and types",
    (
        "ingest/timestamps.py",
        'NumberReplacer: suffix = text.str.extract(r"([Zz]|[+-]\\d{2}(?::?\\d{2})?)$", 1)  ->  '
        'suffix = text.str.extract(r"([Zz]|[+-]\\d{2}(?::?\\d{2})?)$", 0)',
    ): WHOLE_MATCH_IS_GROUP,
    (
        "ingest/timestamps.py",
        'NumberReplacer: minutes = digits.str.slice(2, 2).replace("", None).cast(pl.Int64, '
        'strict=False).fill_null(0)  ->  minutes = digits.str.slice(2, 3).replace("", None)'
        ".cast(pl.Int64, strict=False).fill_null(0)",
    ): FOUR_DIGITS,
    (
        "ingest/multi_day.py",
        "NumberReplacer: @functools.lru_cache(maxsize=256)  ->  @functools.lru_cache(maxsize= 255)",
    ): CACHE_SIZE,
}


def why_equivalent(path: str, change: str) -> str | None:
    """The reason the mutant `change` of `path` is equivalent, or None if it is not known."""
    return EQUIVALENT.get((path, change)) or INGEST_EQUIVALENT.get((path, change))
