"""Surviving mutants that are equivalent: no input the code can receive tells them apart.

Each entry is (file, the mutant's change exactly as the report prints it) -> why no test
can kill it. The report marks these survivors and counts them beside the killed ones; a
survivor not listed here is a bug the suite would miss.
"""

from __future__ import annotations

from mutation.equivalent_bands import BANDS_EQUIVALENT
from mutation.equivalent_clv import CLV_EQUIVALENT
from mutation.equivalent_forecasting import FORECASTING_EQUIVALENT
from mutation.equivalent_ingest import INGEST_EQUIVALENT
from mutation.equivalent_load import LOAD_EQUIVALENT
from mutation.equivalent_models import MODELS_EQUIVALENT
from mutation.equivalent_policy import POLICY_EQUIVALENT
from mutation.equivalent_read import READ_EQUIVALENT
from mutation.equivalent_reorder import NO_ZERO_QUANTITY, REORDER_EQUIVALENT
from mutation.equivalent_replay import REPLAY_EQUIVALENT

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

ONLY_RECOMPUTED_DAYS_REACH = (
    "the lines' filter (the daily sums' CTE): every row comes from the spine of recomputed "
    "days, order_days in assets/sql/macros.sql, through a left join, so summing other days' "
    "lines too only adds work; each customer's first sale is taken from all lines either "
    "way. The spine's own filter (line 116 of macros.sql) is killed in the macros.sql run"
)

NO_WRITE_VALIDATED = (
    "-1 and 0 both say no write was validated yet: write ids start at 1, so both select "
    "every recorded write, and the newest write covered, max(newest write or 0, after), is "
    "the same"
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
        "assets/sql/marts/cart_abandonment_daily.sql",
        "drop-condition: `is_recomputed_day(ended_at)` -> `true`",
    ): "the sessions the filter leaves out end before the first recomputed day, so their "
    "carts and checkouts (dated no later than the session's end) fall on days before it "
    "too, and the rows come from the spine of recomputed days (a left join): they never "
    "reach it. A cart on a recomputed day belongs to a session ending on or after that day, "
    "which the filter keeps; the spine's own filter (line 38) is killed by "
    "tests/incremental/test_day_build.py",
    (
        "assets/sql/marts/funnel_daily.sql",
        "drop-condition: `is_recomputed_day(day)` -> `true`",
    ): "in the sessions CTE (line 19): every row comes from the spine of recomputed days (a "
    "left join), so counting the other days' sessions too only adds work. The spine's own "
    "filter (line 25, the same change) is killed by tests/incremental/test_day_build.py",
    (
        "assets/sql/marts/orders_daily.sql",
        "drop-condition: `is_recomputed_day(l.order_date)` -> `true`",
    ): ONLY_RECOMPUTED_DAYS_REACH,
    (
        "assets/sql/marts/orders_by_customer_type_daily.sql",
        "drop-condition: `is_recomputed_day(l.order_date)` -> `true`",
    ): ONLY_RECOMPUTED_DAYS_REACH,
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
    # Both `<` of customers.sql compare quantities; of its `>`, the one that does not
    # (`s.orders > 0`) is killed by tests/assets/sql/test_customer_segments.py.
    ("assets/sql/marts/customers.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/customers.sql", "comparison: `<` -> `<=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/feedback_daily.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/sales_by_sku_daily.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    # sku_demand_daily.sql: the `quantity > 0` and `quantity < 0` of line 24-25; its other
    # `>` (unit_price > 0) and `<` (the partial last day, lines 72 and 75) are killed by
    # tests/assets/sql/test_sku_demand_daily.py and test_sku_demand_edges.py.
    ("assets/sql/marts/sku_demand_daily.sql", "comparison: `>` -> `>=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/sku_demand_daily.sql", "comparison: `<` -> `<=`"): NO_ZERO_QUANTITY,
    ("assets/sql/marts/sales_by_sku_daily.sql", "comparison: `<` -> `<=`"): NO_ZERO_QUANTITY,
    # stg_order_lines.sql: a line's status when the export names none (quantity < 0:
    # returned); a zero quantity never reaches staging.
    ("assets/sql/staging/stg_order_lines.sql", "comparison: `<` -> `<=`"): NO_ZERO_QUANTITY,
    (
        "assets/sql/marts/sales_by_sku_daily.sql",
        "drop-condition: `is_recomputed_day(order_date) and is_rebuilt_sku(sku)` -> `true`",
    ): "the spine starts at the first recomputed day, holds the range's SKUs only, and every "
    "row comes from it (a left join), so summing other days' and SKUs' lines too only adds "
    "work. The skus CTE's filter is killed by tests/incremental/test_sku_ranges.py",
    (
        "assets/sql/marts/sku_demand_daily.sql",
        "drop-condition: `is_recomputed_day(order_date)` -> `true`",
    ): "in the lines CTE: every row comes from the spine of recomputed days (a left join). "
    "The other days' lines add sales and reversals on days off the spine only: a reversal "
    "is booked on its sale's day, and a cancellation on a recomputed day that finds a later "
    "matching sale among the recomputed days' lines picks it either way (the latest wins); "
    "each SKU's first sale is taken from all_lines either way",
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
        "ingest/cast.py",
        "AndWithOr: if rules.has_key(kind, text) and frame.select(rules.key_repeats(kind, "
        "_typed, loadable)).item():  ->  if rules.has_key(kind, text) or frame.select("
        "rules.key_repeats(kind, _typed, loadable)).item():",
    ): KEY_REPEATS_SHORTCUT,
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
    (
        "ingest/multi_day.py",
        "NumberReplacer: @functools.lru_cache(maxsize=256)  ->  @functools.lru_cache(maxsize= 257)",
    ): CACHE_SIZE,
}


def why_equivalent(path: str, change: str) -> str | None:
    """The reason the mutant `change` of `path` is equivalent, or None if it is not known."""
    key = (path, change)
    return (
        EQUIVALENT.get(key)
        or INGEST_EQUIVALENT.get(key)
        or READ_EQUIVALENT.get(key)
        or LOAD_EQUIVALENT.get(key)
        or FORECASTING_EQUIVALENT.get(key)
        or MODELS_EQUIVALENT.get(key)
        or BANDS_EQUIVALENT.get(key)
        or REORDER_EQUIVALENT.get(key)
        or POLICY_EQUIVALENT.get(key)
        or REPLAY_EQUIVALENT.get(key)
        or CLV_EQUIVALENT.get(key)
    )
