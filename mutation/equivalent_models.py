"""Equivalent survivors of forecasting/'s model steps: choosing the models, combining them,
the forecast and the engines that fit them, local, Dask and Ray (see
mutation/equivalent.py, which reads these too; the demand steps' are in
mutation/equivalent_forecasting.py).

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


SHORT_MEAN_NOT_NEGATIVE = (
    "the short-history model forecasts the mean of the series' y, and every series the "
    "forecast gets has y >= 0 and finite (forecasting/bucket_series.py's contract: daily y "
    "is demand_units clipped at 0 in forecasting/demand.py, weekly and monthly y are sums of "
    "units scaled by days / observed days with observed > 0); a series has at least one row, "
    "so the mean is a number >= 0: clipping it at -1 instead of 0 changes nothing, and "
    "fill_nan never finds a NaN to fill"
)


MODELS_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "forecasting/local_engine.py",
        'NumberReplacer: values = ordered["y"].cast(pl.Float64).to_numpy().reshape(-1, 1)  ->  '
        'values = ordered["y"].cast(pl.Float64).to_numpy().reshape(- 2, 1)',
    ): "numpy's reshape reads any negative size as the one dimension to infer (numpy 2.4: "
    "np.arange(6).reshape(-2, 1) has shape (6, 1)), so -2 is -1 here",
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
        "forecasting/forecast.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "no code assigns to a field of PreparedSeries or UnbandedForecast (lines 119 and 142, "
    "one key) or hashes one (checked with grep over forecasting/, assets/, incremental/ and "
    "pipelines/: they are built, unpacked and read; forecast_batches.py builds new ones); "
    "frozen only forbids that, and their polars fields could not be hashed either way",
    (
        "forecasting/forecast.py",
        'TrueWithFalse: .group_by("demand_pattern", maintain_order=True)  ->  '
        '.group_by("demand_pattern", maintain_order=False)',
    ): "maintain_order only fixes the order of the labels' rows (one a demand class; the "
    "models within a row keep their rank order either way); the labels are joined on "
    "demand_pattern and combine_models reads the assigned rows only through is_in, "
    "group_by with sorted models and a sort by label, so their order is never read",
}
