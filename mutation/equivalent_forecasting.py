"""Equivalent survivors of forecasting/'s demand steps: buckets, backtests, model choice,
the forecast and its engines (see mutation/equivalent.py, which reads these too; the
forecast grid's and the bands' are in mutation/equivalent_bands.py, the reorder and
customer-value steps' in mutation/equivalent_reorder.py).

Each entry is (file, the mutant's change exactly as the report prints it) -> why no input
the code can receive tells the mutant from the original.
"""

from __future__ import annotations

STATSFORECAST_N_JOBS = (
    "this StatsForecast only ever runs a Dask or Ray frame, which statsforecast hands to its "
    "fugue backend; that backend fits each partition with a StatsForecast of its own, built "
    "with n_jobs=1 (statsforecast/distributed/fugue.py), so the n_jobs given here is stored "
    "and never read (the local engine builds none)"
)

DASK_PARTITIONS = (
    "the partition count only cuts the pandas frame into chunks for the workers: fugue "
    "regroups the rows by unique_id before statsforecast runs, so each series is forecast "
    "whole, by the same models, whatever chunk it started in, and every caller joins or sorts "
    "the result on its keys (backtest._side_by_side and _numbered; model_mix through "
    "forecast._dated and with_class_bands). max(0, n) is n for the n >= 1 workers a cluster "
    "needs to run anything at all"
)

RAY_INIT_OUTPUT = (
    "the two flags only say whether Ray serves its web dashboard and whether its workers' "
    "log lines are copied to this process's output; the rows statsforecast returns through "
    "fugue are the same (tests/forecasting/test_ray_engine.py starts Ray itself with both "
    "off, so this line runs only when a pipeline run starts Ray)"
)

EVAL_LABEL_ORDER = (
    "maintain_order only fixes the order of the classes' rows; first() still takes each "
    "class's first row in rank order (polars keeps the rows' order within a group), and "
    "every use of _chosen_labels joins it on demand_pattern (evaluate_models' backtest, "
    "_reliability, _with_naive_ratio), so the row order is never read"
)

UNREAD_TARGET = (
    "the extra target n_windows + 1 has no backtest rows, so its options are scored on no "
    "forecast; nested_choices reads tried[t] only for the windows its choice may use (2 .. "
    "n_windows), so the extra entry is computed and never read: the same choices"
)

NO_WINDOW_ZERO = (
    "backtest windows are numbered from 1, so a choice window range starting at 0 filters "
    "the same errors; nested_choices tries the options on windows[1:] that are in `tried` "
    "(targets 2 .. n_windows), and window 1 is not a target either way; max(windows) + 1 is "
    "unchanged: the same choices"
)

UNREAD_CLASSES = (
    "_classes_before's callers read the windows 2 .. n_windows (option_errors' targets, the "
    "holdout choice) and n_windows + 1; an entry for window 1 is computed and never read, and "
    "one for window n_windows + 1 (no such window: classified on no rows) is overwritten by "
    "the whole-history classes on the next line"
)

NO_WINDOW_EXPLODES_TO_NO_ROW = (
    "windows is clipped at 0, so the change only keeps the series with no window; their "
    "int_ranges(n + 1, n + 1) is an empty list, and the locked polars (2.x) explodes an "
    "empty list into no row (empty_as_null=False), dropping them just the same. The filter "
    "stays for polars 1.x, which turns it into a null row "
    "(tests/forecasting/test_backtest_windows.py reads a too-short series' absence)"
)

# forecasting/auto_bucket.py's _selling_share: the grouped path is right for any order of
# rows, the runs path only for series in series order; both give the same shares there.
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


# forecasting/model_mix.py's _tidy: the short-history model (HistoricAverage) forecasts the
# mean of the series' y, which is finite and >= 0 for every series the forecast gets.
SHORT_MEAN_NOT_NEGATIVE = (
    "the short-history model forecasts the mean of the series' y, and every series the "
    "forecast gets has y >= 0 and finite (forecasting/bucket_series.py's contract: daily y "
    "is demand_units clipped at 0 in forecasting/demand.py, weekly and monthly y are sums of "
    "units scaled by days / observed days with observed > 0); a series has at least one row, "
    "so the mean is a number >= 0: clipping it at -1 instead of 0 changes nothing, and "
    "fill_nan never finds a NaN to fill"
)


# forecasting/sorted_rows.py's share_above: a row with no known value never searches.
NO_KNOWN_VALUE_SHARE = (
    "known is a count, never negative, so > -1 and >= 0 are the same test; they differ from "
    "> 0 only for a row with no known value, whose search never starts (low = high = 0), so "
    "above = 0 and 0 / max(0, 1) is the 0.0 the original gives"
)


# forecasting/stable_sums.py
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


# forecasting/demand.py's classify_demand: CV² is 0.0 (filled) or polars' square of
# std / mean, a double; the square is correctly rounded and grows with its root.
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
        "forecasting/local_engine.py",
        'NumberReplacer: values = ordered["y"].cast(pl.Float64).to_numpy().reshape(-1, 1)  ->  '
        'values = ordered["y"].cast(pl.Float64).to_numpy().reshape(- 2, 1)',
    ): "numpy's reshape reads any negative size as the one dimension to infer (numpy 2.4: "
    "np.arange(6).reshape(-2, 1) has shape (6, 1)), so -2 is -1 here",
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
        "forecasting/engine.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a Cluster's field or hashes one (checked with grep: engine.cluster_of "
    "and the tests build them, _run reads cluster.engine and cluster.address); frozen only "
    "forbids that",
    (
        "forecasting/engine.py",
        "NumberReplacer: engine = StatsForecast(models=models, freq=1, n_jobs=1)  ->  "
        "engine = StatsForecast(models=models, freq=1, n_jobs= 2)",
    ): STATSFORECAST_N_JOBS,
    (
        "forecasting/engine.py",
        "NumberReplacer: engine = StatsForecast(models=models, freq=1, n_jobs=1)  ->  "
        "engine = StatsForecast(models=models, freq=1, n_jobs= 0)",
    ): STATSFORECAST_N_JOBS,
    (
        "forecasting/engine.py",
        'NumberReplacer: workers = max(1, len(client.scheduler_info()["workers"]))  ->  '
        'workers = max( 2, len(client.scheduler_info()["workers"]))',
    ): DASK_PARTITIONS,
    (
        "forecasting/engine.py",
        'NumberReplacer: workers = max(1, len(client.scheduler_info()["workers"]))  ->  '
        'workers = max( 0, len(client.scheduler_info()["workers"]))',
    ): DASK_PARTITIONS,
    (
        "forecasting/engine.py",
        'NumberReplacer: _pandas(frame), npartitions=min(frame["unique_id"].n_unique(), '
        '2 * workers)  ->  _pandas(frame), npartitions=min(frame["unique_id"].n_unique(), '
        "3 * workers)",
    ): DASK_PARTITIONS,
    (
        "forecasting/engine.py",
        'NumberReplacer: _pandas(frame), npartitions=min(frame["unique_id"].n_unique(), '
        '2 * workers)  ->  _pandas(frame), npartitions=min(frame["unique_id"].n_unique(), '
        "1 * workers)",
    ): DASK_PARTITIONS,
    (
        "forecasting/engine.py",
        "FalseWithTrue: ray.init(address=address, include_dashboard=False, log_to_driver=False)"
        "  ->  ray.init(address=address, include_dashboard=True, log_to_driver=False)",
    ): RAY_INIT_OUTPUT,
    (
        "forecasting/engine.py",
        "FalseWithTrue: ray.init(address=address, include_dashboard=False, log_to_driver=False)"
        "  ->  ray.init(address=address, include_dashboard=False, log_to_driver=True)",
    ): RAY_INIT_OUTPUT,
    (
        "forecasting/evaluation.py",
        'TrueWithFalse: .group_by("demand_pattern", maintain_order=True)  ->  .group_by'
        '("demand_pattern", maintain_order=False)',
    ): EVAL_LABEL_ORDER,
    (
        "forecasting/evaluation.py",
        "NumberReplacer: range(2, n_windows + 1),  ->  range(2, n_windows + 2),",
    ): UNREAD_TARGET,
    (
        "forecasting/evaluation.py",
        "NumberReplacer: for windows in (range(1, n_windows), range(1, n_windows + 1)) "
        " ->  for windows in (range( 0, n_windows), range(1, n_windows + 1))",
    ): NO_WINDOW_ZERO,
    (
        "forecasting/evaluation.py",
        "NumberReplacer: for windows in (range(1, n_windows), range(1, n_windows + 1)) "
        " ->  for windows in (range(1, n_windows), range( 0, n_windows + 1))",
    ): NO_WINDOW_ZERO,
    (
        "forecasting/evaluation.py",
        "NumberReplacer: for window in range(2, n_windows + 1):  ->  for window in rang"
        "e( 1, n_windows + 1):",
    ): UNREAD_CLASSES,
    (
        "forecasting/evaluation.py",
        "NumberReplacer: for window in range(2, n_windows + 1):  ->  for window in rang"
        "e(2, n_windows + 2):",
    ): UNREAD_CLASSES,
    (
        "forecasting/forecast_batches.py",
        'FalseWithTrue: prepared.steps.write_parquet(steps, compression="uncompressed",'
        ' statistics=False)  ->  prepared.steps.write_parquet(steps, compression="uncom'
        'pressed", statistics=True)',
    ): "Parquet statistics are only min/max metadata in the spill file, read back whole by "
    "pl.read_parquet (no filter uses them): the same frame either way, a slightly larger file",
    (
        "forecasting/forecast_batches.py",
        "NumberReplacer: self.behind[bucket] = max(self.behind.get(bucket, 0), behind) "
        " ->  self.behind[bucket] = max(self.behind.get(bucket, -1), behind)",
    ): "steps_behind counts steps from a series' last day to the shop's, never negative (a batch "
    "ending after history_end is refused above), so max(-1, behind) is max(0, behind)",
    (
        "forecasting/forecast_batches.py",
        "NumberReplacer: return parts[0] if len(parts) == 1 else pl.concat(parts).sort("
        '"sku", "day"), fresh  ->  return parts[ -1] if len(parts) == 1 else pl.concat('
        'parts).sort("sku", "day"), fresh',
    ): "the branch runs only when len(parts) == 1: parts[0] and parts[-1] are the one part",
    (
        "forecasting/forecast_batches.py",
        "NumberReplacer: return parts[0] if len(parts) == 1 else pl.concat(parts).sort("
        '"sku", "day"), fresh  ->  return parts[0] if len(parts) == 0 else pl.concat(pa'
        'rts).sort("sku", "day"), fresh',
    ): "parts is not empty here (the function returned above otherwise), so the change always "
    "concatenates and sorts; one part already comes sorted by sku, day (with_class_bands sorts, "
    "and as_days keeps that order or, spreading weeks over days, ends with the same sort), so the rows are the same",
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
        "forecasting/model_mix.py",
        "AndWithOr: zero = [pl.lit(0.0).alias(ZERO)] if ZERO in models and fitted else []  ->  "
        "zero = [pl.lit(0.0).alias(ZERO)] if ZERO in models or fitted else []",
    ): "the change adds the column of zeros in two more cases, neither read differently: "
    "fitted models without Zero (the mean and median read only the columns named in "
    "`models`, and the select right after drops the extra column), and Zero alone (no fitted "
    "model: _zero_frames' frames already carry a Zero column of 0.0, Float64, which the "
    "change overwrites with the same values); models is never empty (a mix has at least one "
    "model), and with it empty the condition is false either way "
    "(tests/forecasting/test_zero_windows.py kills the mutants that drop the column beside a "
    "fitted model)",
    (
        "forecasting/model_mix.py",
        "NumberReplacer: point = pl.col(alias).clip(lower_bound=0).fill_nan(0.0)  ->  "
        "point = pl.col(alias).clip(lower_bound= -1).fill_nan(0.0)",
    ): SHORT_MEAN_NOT_NEGATIVE,
    (
        "forecasting/model_mix.py",
        "NumberReplacer: point = pl.col(alias).clip(lower_bound=0).fill_nan(0.0)  ->  "
        "point = pl.col(alias).clip(lower_bound=0).fill_nan( 1.0)",
    ): SHORT_MEAN_NOT_NEGATIVE,
    (
        "forecasting/model_mix.py",
        "NumberReplacer: point = pl.col(alias).clip(lower_bound=0).fill_nan(0.0)  ->  "
        "point = pl.col(alias).clip(lower_bound=0).fill_nan( -1.0)",
    ): SHORT_MEAN_NOT_NEGATIVE,
    (
        "forecasting/model_mix.py",
        "NumberReplacer: .clip(lower_bound=0)  ->  .clip(lower_bound= -1)",
    ): "this key names two mutants, the lower bound's clip (line 158) and the upper "
    "bound's (line 164); the lower bound's is not equivalent and is killed by "
    "tests/forecasting/test_model_mix.py (a bound of -0.47 kept). The upper bound's is: "
    "the bound is then max_horizontal(hi, point) with point >= 0 (clipped at 0, NaN filled "
    "with 0), so a hi below 0, cut to 0 or to -1, gives the point forecast either way",
    (
        "forecasting/naive_benchmark.py",
        'TrueWithFalse: .group_by("demand_pattern", maintain_order=True)  ->  '
        '.group_by("demand_pattern", maintain_order=False)',
    ): "maintain_order only fixes the order of the classes in the result; first() takes each "
    "class's first row in the sorted order (seasonal naive before Naive) either way (polars "
    "keeps the rows' order within a group), and the one caller (forecasting/evaluation.py's "
    "_with_naive_ratio) left-joins the result on demand_pattern, so the classes' order is "
    "never read",
    (
        "forecasting/nested_choice.py",
        "NumberReplacer: options = _option_scores([tried[target] for target in windows[1:] if "
        "target in tried])  ->  options = _option_scores([tried[target] for target in "
        "windows[ 0:] if target in tried])",
    ): "the first window of `windows` is never a key of `tried`: the one caller "
    "(forecasting/evaluation.py) passes windows range(1, n_windows) or range(1, n_windows + "
    "1) and tries the options on targets range(2, n_windows + 1) (option_errors keys its "
    "result by those targets), so window 1 is dropped by `if target in tried` either way and "
    "the same frames are scored",
    (
        "forecasting/selection.py",
        'TrueWithFalse: .sort("wape_7d", "model", nulls_last=True)  ->  '
        '.sort("wape_7d", "model", nulls_last=False)',
    ): "wape_7d is never null, so there is no null to place first or last: it is the ratio of "
    "two polars sums, and a polars sum is never null (0 over no known values; checked on "
    "polars 2.1: a group of nulls sums to 0.0, and 0 / 0 gives NaN, which the filter just "
    "before the sort drops; a positive error over 0 sold gives inf, a value sorted last either "
    "way). The pool's prior order, the one ranking with null scores, is built after the sort",
    (
        "forecasting/selection.py",
        "NumberReplacer: return models[0] if len(models) == 1 else f\"{combine}({', '.join(models)})\""
        "  ->  return models[ -1] if len(models) == 1 else f\"{combine}({', '.join(models)})\"",
    ): "the branch runs only when len(models) == 1: models[0] and models[-1] are the one model",
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
    (
        "forecasting/forecast.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a field of PreparedSeries or UnbandedForecast (lines 119 and 142, "
    "one key) or hashes one (checked with grep over forecasting/, assets/, incremental/ and "
    "pipelines/: they are built, unpacked and read; forecast_batches.py builds new ones); "
    "frozen only forbids that, and their polars fields could not be hashed either way",
}
