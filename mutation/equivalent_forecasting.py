"""Equivalent survivors of forecasting/'s demand steps: buckets, demand classes, backtests
and the sums they rest on (see mutation/equivalent.py, which reads these too; model choice,
the forecast and its engines are in mutation/equivalent_models.py, the forecast grid's and
the bands' in mutation/equivalent_bands.py, the reorder steps' in
mutation/equivalent_reorder.py and the customer-value models' in mutation/equivalent_clv.py).

Each entry is (file, the mutant's change exactly as the report prints it) -> why no input
the code can receive tells the mutant from the original.
"""

from __future__ import annotations

NO_WINDOW_EXPLODES_TO_NO_ROW = (
    "windows is clipped at 0, so the change only keeps the series with no window; their "
    "int_ranges(n + 1, n + 1) is an empty list, and the locked polars (2.x) explodes an "
    "empty list into no row (empty_as_null=False), dropping them just the same. The filter "
    "stays for polars 1.x, which turns it into a null row "
    "(tests/forecasting/test_backtest_windows.py reads a too-short series' absence)"
)


GROUPED_IS_ALWAYS_RIGHT = (
    "the mutant takes the grouped path (group_by on unique_id) for series in series order "
    "too, where the runs path was taken: both count the same steps and sales per SKU "
    "(the grouped path is the one taken for any order of rows; only the counts' integer "
    "type differs, UInt32 for Int64, and the callers read them as Python ints in the "
    "reason text); for empty series the runs path gives the same empty frame (np.add."
    "reduceat of no rows at no run starts is empty), so choose_buckets and fixed_buckets "
    "return the same rows (tests/forecasting/test_auto_bucket.py kills the mutants that "
    "send unordered series down the runs path)"
)


NO_KNOWN_VALUE_SHARE = (
    "known is a count, never negative, so > -1 and >= 0 are the same test; they differ from "
    "> 0 only for a row with no known value, whose search never starts (low = high = 0), so "
    "above = 0 and 0 / max(0, 1) is the 0.0 the original gives"
)


STD_DEFAULT_UNUSED = (
    "the default is never used: the one caller (forecasting/demand.py, the squared "
    "coefficient of variation) passes ddof=0 (checked with grep for stable_std)"
)


UNKNOWN_FILLER_DISCARDED = (
    "the value put in for a null is thrown away: the next lines keep the old compensation "
    "and total wherever the value is not known (np.where(known, ...)) and count only the "
    "known values, so any finite filler gives the same bits (the same reasoning as "
    "forecasting/forecast_grid.py's _means, in mutation/equivalent_bands.py)"
)


CV2_NEVER_AT_CUTOFF = (
    "no CV² equals the cutoff: a CV² is 0.0 or the square of a double r = std / mean, and "
    "no double squares to the double 0.49 (the largest double below its root, 0.7, squares "
    "to 0.48999999999999994, the next one up to 0.4900000000000001; checked with polars "
    "2.1's pow(2), which rounds each square correctly, and squaring keeps order), so < and "
    "<= pick the same rows"
)


CV2_NEVER_NAN = (
    "CV² is never NaN here: the sizes are the y > 0 of the series (finite units: integer "
    "order quantities, and weekly or monthly sums of them scaled by days / observed days, "
    "forecasting/bucket_series.py), so their mean is a finite number > 0 and their "
    "population standard deviation a finite number >= 0 (0 for a single demand: ddof=0); "
    "a series without demand has no sizes and gets a null, filled by fill_null before "
    "fill_nan. fill_nan never finds a NaN, whatever it would fill in"
)


FORECASTING_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "forecasting/backtest.py",
        'NumberReplacer: .filter(pl.col("windows") > 0)  ->  .filter(pl.col("windows") > -1)',
    ): NO_WINDOW_EXPLODES_TO_NO_ROW,
    (
        "forecasting/backtest.py",
        'ComparisonOperator_Gt_GtE: .filter(pl.col("windows") > 0)  ->  '
        '.filter(pl.col("windows") >= 0)',
    ): NO_WINDOW_EXPLODES_TO_NO_ROW,
    (
        "forecasting/backtest_batches.py",
        "NumberReplacer: for first in range(0, max(ids.len(), 1), batch_skus):  ->  "
        "for first in range(0, max(ids.len(), 2), batch_skus):",
    ): "the two ranges differ only for at most one SKU with batch_skus 1 (one SKU: a second "
    "batch starting at 1; none: a second batch starting at 1 after the one at 0): the extra "
    "batch selects no SKU, so its cross-validation, window errors and spilled grid have no "
    "row, and concatenating or reading back an empty batch adds nothing; only a file and "
    "some work more (checked: one SKU with batch_skus=1 gives the same four tables as "
    "batch_skus=100 under the mutant)",
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
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a BucketPlan's fields or hashes one (a plan is made by bucket_plan "
    "and only read); frozen only forbids that",
    (
        "forecasting/buckets.py",
        "NumberReplacer: return max(1, math.ceil(calendar_days / CALENDAR_DAYS[bucket] - 1e-9))"
        "  ->  return max( 0, math.ceil(calendar_days / CALENDAR_DAYS[bucket] - 1e-9))",
    ): "the ceiling is at least 1 for every input the callers give: both pass a PositiveInt "
    "setting (horizon or its default, backtest_min_train_days) divided by the trading share "
    "(at most 1), so calendar_days >= 1 and calendar_days / 30.44 - 1e-9 > 0",
    (
        "forecasting/order_line_demand.py",
        "FalseWithTrue: check_sortedness=False,  ->  check_sortedness=True,",
    ): "both sides of the as-of join are sorted by `at` on the lines just before it, so "
    "the sortedness check can only pass; the joined rows are the same (checked: the "
    "mutant passes tests/forecasting/test_policy_backtest.py with warnings as errors)",
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
        "forecasting/grid_errors.py",
        "NumberReplacer: return values.reshape(-1, steps) if steps else values.reshape(0, 0)  ->  "
        "return values.reshape(- 2, steps) if steps else values.reshape(0, 0)",
    ): "numpy (2.x, locked) takes any negative size in reshape as the one unknown dimension, "
    "so -2 and -1 give the same (SKU-windows x steps) array",
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: return _kahan(np.column_stack(errors) if errors else "
        "np.zeros((forecast.shape[0], 0)))  ->  return _kahan(np.column_stack(errors) if "
        "errors else np.zeros((forecast.shape[ -1], 0)))",
    ): "errors is empty only when the windows have no step, which happens only for a grid "
    "without rows (every SKU-window has the steps 1 .. horizon, _windows): then "
    "forecast is 0 x 0 and shape[0] == shape[-1] == 0",
    (
        "forecasting/stable_sums.py",
        "NumberReplacer: column: str | pl.Expr, by: str | Sequence[str] | None = None, "
        "ddof: int = 1  ->  column: str | pl.Expr, by: str | Sequence[str] | None = None, "
        "ddof: int = 0",
    ): STD_DEFAULT_UNUSED,
    (
        "forecasting/auto_bucket.py",
        'ComparisonOperator_Eq_NotEq: if runs.height == 0 or runs["unique_id"].n_unique() != '
        'runs.height:  ->  if runs.height != 0 or runs["unique_id"].n_unique() != runs.height:',
    ): GROUPED_IS_ALWAYS_RIGHT,
    (
        "forecasting/auto_bucket.py",
        'AddNot: if runs.height == 0 or runs["unique_id"].n_unique() != runs.height:  ->  '
        'if not runs.height == 0 or runs["unique_id"].n_unique() != runs.height:',
    ): GROUPED_IS_ALWAYS_RIGHT,
    (
        "forecasting/auto_bucket.py",
        'NumberReplacer: if runs.height == 0 or runs["unique_id"].n_unique() != runs.height:  '
        '->  if runs.height == 1 or runs["unique_id"].n_unique() != runs.height:',
    ): "a one-row series takes the grouped path instead of the runs path: both count its one "
    "step and whether it sold the same way (see the other mutants of this line)",
    (
        "forecasting/auto_bucket.py",
        'NumberReplacer: if runs.height == 0 or runs["unique_id"].n_unique() != runs.height:  '
        '->  if runs.height == -1 or runs["unique_id"].n_unique() != runs.height:',
    ): "the only input the change moves is the empty series (no run), which then takes the "
    "runs path: np.add.reduceat of no rows at no run starts is empty, so the shares are the "
    "same empty frame (checked: choose_buckets and fixed_buckets of empty series return "
    "the same empty rows under the mutant)",
    (
        "forecasting/buckets.py",
        "NumberReplacer: return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)  "
        "->  return (start.replace(day=28) + dt.timedelta(days= 5)).replace(day=1)",
    ): "the 28th of any month plus 4 or plus 5 days both pass the month's end (at most 31 "
    "days) and stay inside the next month (at least 28 days: the 1st to the 2nd), so "
    "replace(day=1) gives the next month's first day either way",
    (
        "forecasting/series_order.py",
        "ComparisonOperator_Gt_GtE: return bool(rising.all()) and bool((ids.slice(1) > "
        "ids.slice(0, max(len(ids) - 1, 0))).all())  ->  return bool(rising.all()) and "
        "bool((ids.slice(1) >= ids.slice(0, max(len(ids) - 1, 0))).all())",
    ): "ids are the values of series_runs' runs (polars rle), and two neighbouring runs never "
    "hold equal ids (equal neighbours would be one run; a run of nulls is one run too, and "
    "a comparison with null is null, which all() skips either way), so no pair compares "
    "equal and >= is > here",
    (
        "forecasting/series_order.py",
        "NumberReplacer: return bool(rising.all()) and bool((ids.slice(1) > ids.slice(0, "
        "max(len(ids) - 1, 0))).all())  ->  return bool(rising.all()) and bool((ids.slice(1) "
        "> ids.slice(0, max(len(ids) - 1, 1))).all())",
    ): "the two slices differ only for one run or none: with one run, ids.slice(1) is empty "
    "and ids.slice(0, 1) one id, which polars broadcasts, comparing nothing (an empty "
    "result, all() true, as for two empty slices); with none both slices are empty (checked "
    "on polars 2.1)",
    (
        "forecasting/sorted_rows.py",
        "NumberReplacer: last = max(ordered.shape[1] - 1, 0)  ->  "
        "last = max(ordered.shape[1] - 1, 1)",
    ): "the two differ only for a matrix of one column (last 1 instead of 0); there a row "
    "searching starts at low 0, high 1 and a row with no known value at low = high = 0, so "
    "the one step's middle is 0 for every row, and that step ends every search (low becomes "
    "1 or high 0): no middle of 1 is ever read",
    (
        "forecasting/sorted_rows.py",
        "ComparisonOperator_Gt_GtE: return np.where(known > 0, above / np.maximum(known, 1), "
        "0.0)  ->  return np.where(known >= 0, above / np.maximum(known, 1), 0.0)",
    ): NO_KNOWN_VALUE_SHARE,
    (
        "forecasting/sorted_rows.py",
        "NumberReplacer: return np.where(known > 0, above / np.maximum(known, 1), 0.0)  ->  "
        "return np.where(known > -1, above / np.maximum(known, 1), 0.0)",
    ): NO_KNOWN_VALUE_SHARE,
    (
        "forecasting/stable_sums.py",
        "NumberReplacer: column: str | pl.Expr, by: str | Sequence[str] | None = None, "
        "ddof: int = 1  ->  column: str | pl.Expr, by: str | Sequence[str] | None = None, "
        "ddof: int = 2",
    ): STD_DEFAULT_UNUSED,
    (
        "forecasting/stable_sums.py",
        "NumberReplacer: value = column.cast(pl.Float64).fill_null(0.0).to_numpy()  ->  "
        "value = column.cast(pl.Float64).fill_null( 1.0).to_numpy()",
    ): UNKNOWN_FILLER_DISCARDED,
    (
        "forecasting/stable_sums.py",
        "NumberReplacer: value = column.cast(pl.Float64).fill_null(0.0).to_numpy()  ->  "
        "value = column.cast(pl.Float64).fill_null( -1.0).to_numpy()",
    ): UNKNOWN_FILLER_DISCARDED,
    (
        "forecasting/stable_sums.py",
        "NumberReplacer: lower = ordered[rows, np.maximum(known - 1, 0) // 2]  ->  "
        "lower = ordered[rows, np.maximum(known - 1, 1) // 2]",
    ): "the floor only matters for a row with 0 or 1 known value (known - 1 is -1 or 0): "
    "max(-1 or 0, 1) // 2 and max(-1 or 0, 0) // 2 are both 0, and from 2 known values on "
    "the floor is not reached: the same column for every row",
    (
        "forecasting/stable_sums.py",
        "NumberReplacer: lower = ordered[rows, np.maximum(known - 1, 0) // 2]  ->  "
        "lower = ordered[rows, np.maximum(known - 1, -1) // 2]",
    ): "the index moves only for a row with no known value (-1 // 2 is -1, the last column, "
    "for 0): that row's sorted values are all NaN, so both pick NaN, and the row is set to "
    "null on the last line (known == 0) anyway",
    (
        "forecasting/trading_calendar.py",
        "ComparisonOperator_LtE_Lt: if through <= after:  ->  if through < after:",
    ): "the two differ only where through == after, which the change sends to numpy: "
    "busday_count from after + 1 up to (not including) through + 1 = after + 1 counts an "
    "empty range, 0, as the shortcut returns. The one other difference, week_mask "
    "checking the weekdays on that path, raises for no caller: forecasting/buckets.py "
    "passes the settings' weekdays (IsoWeekday 1 .. 7, at least one, each once) or every "
    "day, and forecasting/reorder_inputs.py hands the same weekdays to trading_days_after "
    "on the same line, which checks them anyway",
    (
        "forecasting/demand.py",
        'ComparisonOperator_Lt_LtE: pl.when(pl.col("cv2") < CV2_CUTOFF)  ->  '
        'pl.when(pl.col("cv2") <= CV2_CUTOFF)',
    ): CV2_NEVER_AT_CUTOFF,
    (
        "forecasting/demand.py",
        'NumberReplacer: pl.col("cv2").fill_null(0.0).fill_nan(0.0),  ->  '
        'pl.col("cv2").fill_null(0.0).fill_nan( 1.0),',
    ): CV2_NEVER_NAN,
    (
        "forecasting/demand.py",
        'NumberReplacer: pl.col("cv2").fill_null(0.0).fill_nan(0.0),  ->  '
        'pl.col("cv2").fill_null(0.0).fill_nan( -1.0),',
    ): CV2_NEVER_NAN,
}
