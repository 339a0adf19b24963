"""Equivalent survivors of forecasting/'s grid of backtest forecasts and its prediction bands
(forecast_grid.py, intervals.py); see mutation/equivalent.py, which reads these too.

Each entry is (file, the mutant's change exactly as the report prints it) -> why no input
the code can receive tells the mutant from the original.
"""

from __future__ import annotations

# forecasting/forecast_grid.py's combinations. Every caller hands combine a ``use`` of the
# values' shape (ForecastGrid.chosen_columns), so a row uses at most as many values as the
# grid has columns.
MEDIAN_CAP_NEVER_BINDS = (
    "the cap never binds: a row uses count <= columns values, so count // 2 <= columns - 1 "
    "for every grid with a column (the branch's other side takes the grid without one); a "
    "cap of columns + 1, columns or max(columns - 1, 1) (1 only where columns is 1 and "
    "count // 2 is 0) changes no index, and max(columns - 1, -1) is columns - 1"
)


MEDIAN_OF_NOTHING_IS_NAN = (
    "count is never negative, so > -1 is >= 0; the two part from > 0 only on a row using no "
    "value (count 0): np.where(use, values, nan) leaves that row all NaN, so lower and upper "
    "are NaN (np.nan without columns) and the formula gives the same NaN"
)


EXTRA_CLASS_ROW_UNREAD = (
    "row_class is each row's class code (0 .. len(names) - 1) or len(names) for a row "
    "without a class (replace_strict's default and fill_null), so the table is only read "
    "at 0 .. len(names); an extra row after them is all False and never read"
)


UNUSED_VALUE_DISCARDED = (
    "the value put where the model is unused (instead of its forecast, NaN if missing) is "
    "thrown away: the next two lines keep the old compensation and total wherever known is "
    "false, so only used forecasts reach the sum; any finite filler gives the same bits"
)


SAME_NULL_BOUNDS = (
    "every level's bounds are null on the same rows: _bounds nulls all of a row's bounds "
    "when its class has no quantiles, and a class's q_lo_<level> is the quantile of the "
    "same sorted known scores for every level (null for all levels at once: a class with "
    "no known score; a class missing from the quantiles joins as null in every column); "
    "where the quantiles are known, lo_<level> is null only where the forecast is null, "
    "again for every level. Quantiles kept between calibrations (incremental/band_cadence.py) "
    "are class_quantiles' rows, and every caller passes the same settings.levels to "
    "class_quantiles, with_bounds and coverage, so testing levels[0] or levels[-1] picks "
    "the same rows"
)


OUTSIDE_ROW_UNREAD = (
    "for a row whose step is outside its series (or whose series is not in the history) "
    "the looked-up total is replaced by null (.set(~inside, None)), so what the index "
    "reads there is never seen: `first` is used only inside np.where's inside branch, and "
    "a series missing from the history has rows filled with 0, so inside is false for it "
    "whatever first is filled with; -1 as the placeholder index is a valid index into any "
    "non-empty `sold` (an empty one takes np.zeros instead), read and discarded like 0"
)

EMPTY_GRID = (
    "only an empty grid (no SKU-window) has no lengths, no steps and no weeks; every array "
    "built from it then has 0 rows whatever its width (reshape(0, 1) or (0, 0), zeros of 0 "
    "or 1 column), so the sums, the NaN filter and the result are the same empty frame"
)


BANDS_EQUIVALENT: dict[tuple[str, str], str] = {
    (
        "forecasting/forecast_grid.py",
        "BinaryOperator_Sub_Add: ordered[rows, np.minimum(count // 2, max(values.shape["
        "1] - 1, 0))]  ->  ordered[rows, np.minimum(count // 2, max(values.shape[1] + 1"
        ", 0))]",
    ): MEDIAN_CAP_NEVER_BINDS,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: ordered[rows, np.minimum(count // 2, max(values.shape[1] - 1, 0))]"
        "  ->  ordered[rows, np.minimum(count // 2, max(values.shape[1] - 0, 0))]",
    ): MEDIAN_CAP_NEVER_BINDS,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: ordered[rows, np.minimum(count // 2, max(values.shape[1] - 1, 0))]"
        "  ->  ordered[rows, np.minimum(count // 2, max(values.shape[1] - 1, 1))]",
    ): MEDIAN_CAP_NEVER_BINDS,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: ordered[rows, np.minimum(count // 2, max(values.shape[1] - 1, 0))]"
        "  ->  ordered[rows, np.minimum(count // 2, max(values.shape[1] - 1, -1))]",
    ): MEDIAN_CAP_NEVER_BINDS,
    (
        "forecasting/forecast_grid.py",
        "ComparisonOperator_Gt_GtE: return np.where(count > 0, lower + (upper - lower) "
        "* 0.5, np.nan)  ->  return np.where(count >= 0, lower + (upper - lower) * 0.5,"
        " np.nan)",
    ): MEDIAN_OF_NOTHING_IS_NAN,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: return np.where(count > 0, lower + (upper - lower) * 0.5, np.nan)"
        "  ->  return np.where(count > -1, lower + (upper - lower) * 0.5, np.nan)",
    ): MEDIAN_OF_NOTHING_IS_NAN,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: lower = ordered[rows, np.maximum(count - 1, 0) // 2] if values."
        "shape[1] else np.nan  ->  lower = ordered[rows, np.maximum(count - 1, 1) // 2] "
        "if values.shape[1] else np.nan",
    ): "the floor only matters for a row using 0 or 1 value (count - 1 is -1 or 0): "
    "max(-1 or 0, 1) // 2 and max(-1 or 0, 0) // 2 are both 0, and from count 2 on the "
    "floor is not reached: the same column for every row",
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: lower = ordered[rows, np.maximum(count - 1, 0) // 2] if values."
        "shape[1] else np.nan  ->  lower = ordered[rows, np.maximum(count - 1, -1) // 2] "
        "if values.shape[1] else np.nan",
    ): "the index moves only for a row using no value (count 0: -1 // 2 is -1, the last "
    "column, for 0): that row's sorted values are all NaN, so both pick NaN, and the "
    "np.where below gives the row NaN anyway",
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: chosen = np.zeros((len(names) + 1, len(self.models)), dtype=bool)  "
        "->  chosen = np.zeros((len(names) + 2, len(self.models)), dtype=bool)",
    ): EXTRA_CLASS_ROW_UNREAD,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: median = np.zeros(len(names) + 1, dtype=bool)  ->  "
        "median = np.zeros(len(names) + 2, dtype=bool)",
    ): EXTRA_CLASS_ROW_UNREAD,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: corrected = np.where(known, values[:, column], 0.0) - compensation"
        "  ->  corrected = np.where(known, values[:, column], 1.0) - compensation",
    ): UNUSED_VALUE_DISCARDED,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: corrected = np.where(known, values[:, column], 0.0) - compensation"
        "  ->  corrected = np.where(known, values[:, column], -1.0) - compensation",
    ): UNUSED_VALUE_DISCARDED,
    (
        "forecasting/forecast_grid.py",
        "NumberReplacer: return np.where(count > 0, total / np.maximum(count, 1), np.nan)  "
        "->  return np.where(count > 0, total / np.maximum(count, 0), np.nan)",
    ): "the two differ only in rows using no value (count 0), where the mutant divides 0 by "
    "0: NaN, under the np.errstate that silences it, and the np.where gives those rows NaN "
    "either way; rows using a value divide by the same count",
    (
        "forecasting/intervals.py",
        "TrueWithFalse: @dataclass(frozen=True)  ->  @dataclass(frozen=False)",
    ): "frozen only makes assigning to a SoldToDate's runs or sold raise and gives it a "
    "__hash__: nothing assigns to them (its only users, intervals.py and model_mix.py, read "
    "totals.runs and totals.sold) and nothing hashes one (no set, dict key or cache holds it)",
    (
        "forecasting/intervals.py",
        'NumberReplacer: known = banded.filter(pl.col(f"lo_{levels[0]}").is_not_null())  ->  '
        'known = banded.filter(pl.col(f"lo_{levels[ -1]}").is_not_null())',
    ): SAME_NULL_BOUNDS,
    (
        "forecasting/intervals.py",
        'NumberReplacer: known = pl.col(f"q_lo_{levels[0]}").is_not_null()  ->  '
        'known = pl.col(f"q_lo_{levels[ -1]}").is_not_null()',
    ): SAME_NULL_BOUNDS,
    (
        "forecasting/intervals.py",
        "NumberReplacer: return ((share * (n + 1)).ceil() - 1).clip(0, n - 1).cast(pl.Int64)  "
        "->  return ((share * (n + 1)).ceil() - 1).clip( -1, n - 1).cast(pl.Int64)",
    ): "the rank before the clip is never below 0: levels are settings.levels, each between "
    "1 and 99 (config/settings_types.py IntervalLevel), so share = level / 100 plus a share "
    "of days (>= 0) is > 0, share * (n + 1) > 0 for a class's n >= 1 rows, and its ceil "
    "minus 1 is >= 0 (a null share, a class with no known score, stays null either way)",
    (
        "forecasting/intervals.py",
        'NumberReplacer: first = found["first_row"].fill_null(0).to_numpy()  ->  '
        'first = found["first_row"].fill_null( 1).to_numpy()',
    ): OUTSIDE_ROW_UNREAD,
    (
        "forecasting/intervals.py",
        'NumberReplacer: first = found["first_row"].fill_null(0).to_numpy()  ->  '
        'first = found["first_row"].fill_null( -1).to_numpy()',
    ): OUTSIDE_ROW_UNREAD,
    (
        "forecasting/intervals.py",
        'NumberReplacer: inside = (step >= 1) & (step <= found["rows"].fill_null(0).to_numpy())  '
        '->  inside = (step >= 1) & (step <= found["rows"].fill_null( -1).to_numpy())',
    ): "rows is null only for a series missing from the history; step >= 1 and step <= 0 "
    "or step <= -1 are both never true, so such a row is outside (null) either way",
    (
        "forecasting/intervals.py",
        "NumberReplacer: rows = np.where(inside, first + step - 1, 0)  ->  "
        "rows = np.where(inside, first + step - 1, -1)",
    ): OUTSIDE_ROW_UNREAD,
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: steps = int(lengths[0]) if len(lengths) else 0  ->  steps = int(lengths[ -1]) if len(lengths) else 0",
    ): "every SKU-window of a grid has the same steps: when all lengths are equal, the "
    "last is the first; when they are not, some length differs from either, and the check "
    "below raises with the first or the last",
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: steps = int(lengths[0]) if len(lengths) else 0  ->  steps = int(lengths[0]) if len(lengths) else 1",
    ): EMPTY_GRID,
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: return values.reshape(-1, steps) if steps else values.reshape(0, 0)  ->  return values.reshape(- 2, steps) if steps else values.reshape(0, 0)",
    ): EMPTY_GRID,
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: return values.reshape(-1, steps) if steps else values.reshape(0, 0)  ->  return values.reshape(-1, steps) if steps else values.reshape(0, 1)",
    ): EMPTY_GRID,
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: return _kahan(np.column_stack(errors) if errors else np.zeros((forecast.shape[0], 0)))  ->  return _kahan(np.column_stack(errors) if errors else np.zeros((forecast.shape[ 1], 0)))",
    ): EMPTY_GRID,
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: return _kahan(np.column_stack(errors) if errors else np.zeros((forecast.shape[0], 0)))  ->  return _kahan(np.column_stack(errors) if errors else np.zeros((forecast.shape[ -1], 0)))",
    ): EMPTY_GRID,
    (
        "forecasting/grid_errors.py",
        "NumberReplacer: return _kahan(np.column_stack(errors) if errors else np.zeros((forecast.shape[0], 0)))  ->  return _kahan(np.column_stack(errors) if errors else np.zeros((forecast.shape[0], 1)))",
    ): EMPTY_GRID,
}
