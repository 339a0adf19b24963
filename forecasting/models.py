"""The candidate statsforecast models, the families they run in, and routing by demand pattern.

Every candidate runs on every SKU in the backtest (the fast ones cost milliseconds per
thousand series), so the accuracy table has a row per model for every class; routing
decides which candidates a pattern class may *choose* from:

- intermittent and lumpy demand (many zero days): the Croston variants, ADIDA, IMAPA and
  TSB forecast a demand rate, which is what a reorder policy needs; the two smoothed
  weekly-profile models (seasonal exponential smoothing, seasonal window average) too,
  because a gift shop's intermittent SKUs still sell by weekday.
- smooth and erratic demand (a sale on most days): seasonal models (seasonal naive,
  seasonal window average, seasonal exponential smoothing, and AutoETS / AutoTheta when
  configured), plus ADIDA, IMAPA and TSB: temporal aggregation and demand-rate smoothing
  forecast erratic daily retail demand well too (ADIDA is the best single model on the
  Online Retail holdout).
- Naive and HistoricAverage are benchmarks (and HistoricAverage the short-history model),
  never chosen by a class.

A *family* is the set of models fitted by one vectorized StatsForecast call over all SKUs.
AutoETS and AutoTheta are families of their own because they are ~100x slower (about 110 s
and 70 s for the ~3,500 Online Retail SKUs on a 2-core machine): they are not in the nightly
default (settings forecasting.candidate_models) and run when listed there.

Prediction intervals come from each SKU's own errors on its latest rolling-origin windows
(forecasting/intervals.py), the same for every model and combination of models; only the
short-history model uses its native normal intervals. Every model is deterministic, so the
same input gives the same forecast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from statsforecast.models import (
    ADIDA,
    IMAPA,
    TSB,
    AutoETS,
    AutoTheta,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
    HistoricAverage,
    Naive,
    SeasonalExponentialSmoothingOptimized,
    SeasonalNaive,
    SeasonalWindowAverage,
)

# Rolling-origin windows (of the forecast horizon) whose errors calibrate the bands.
INTERVAL_WINDOWS = 2
SHORT_HISTORY_MODEL = "HistoricAverage"
SEASONAL_NAIVE = "SeasonalNaive"
# The benchmark where seasonal naive cannot run (history shorter than a season):
# the last observed step repeated (forecasting/naive_benchmark.py).
NAIVE = "Naive"
# The benchmark of forecasting nothing: 0 on every day. Not a statsforecast model; the
# backtest scores it beside the candidates, and a class whose models lose to it on the
# backtest windows forecasts zero (forecasting/nested_choice.py).
ZERO = "Zero"

# name -> factory(season_steps); the name is the model's alias in every output table.
CANDIDATES: dict[str, Callable[[int], Any]] = {
    "CrostonClassic": lambda season: CrostonClassic(),
    "CrostonSBA": lambda season: CrostonSBA(),
    "CrostonOptimized": lambda season: CrostonOptimized(),
    "ADIDA": lambda season: ADIDA(),
    "IMAPA": lambda season: IMAPA(),
    "TSB": lambda season: TSB(alpha_d=0.1, alpha_p=0.1),
    "Naive": lambda season: Naive(),
    "HistoricAverage": lambda season: HistoricAverage(),
    "SeasonalNaive": lambda season: SeasonalNaive(season_length=season),
    "SeasonalWindowAverage": lambda season: SeasonalWindowAverage(
        season_length=season, window_size=4, alias="SeasonalWindowAverage"
    ),
    "SeasonalESOptimized": lambda season: SeasonalExponentialSmoothingOptimized(
        season_length=season, alias="SeasonalESOptimized"
    ),
    "AutoETS": lambda season: AutoETS(season_length=season),
    "AutoTheta": lambda season: AutoTheta(season_length=season),
}

FAMILIES: dict[str, tuple[str, ...]] = {
    "intermittent": ("CrostonClassic", "CrostonSBA", "CrostonOptimized", "ADIDA", "IMAPA", "TSB"),
    "baseline": ("Naive", "HistoricAverage", "SeasonalNaive", "SeasonalWindowAverage"),
    "smoothing": ("SeasonalESOptimized",),
    "ets": ("AutoETS",),
    "theta": ("AutoTheta",),
}

# Each pool lists its models best first as measured on the Online Retail backtest windows
# (docs/forecasting.md): the order a class falls back to before it has backtest evidence.
INTERMITTENT_MODELS = (
    "TSB",
    "SeasonalESOptimized",
    "ADIDA",
    "IMAPA",
    "SeasonalWindowAverage",
    "CrostonSBA",
    "CrostonOptimized",
    "CrostonClassic",
)
SEASONAL_MODELS = (
    "SeasonalESOptimized",
    "TSB",
    "IMAPA",
    "ADIDA",
    "AutoETS",
    "AutoTheta",
    "SeasonalWindowAverage",
    "SeasonalNaive",
)
ROUTES: dict[str, tuple[str, ...]] = {
    "smooth": SEASONAL_MODELS,
    "erratic": SEASONAL_MODELS,
    "intermittent": INTERMITTENT_MODELS,
    "lumpy": INTERMITTENT_MODELS,
}


def check_candidates(candidates: Sequence[str]) -> None:
    """Reject unknown model names and a candidate list without the two naive benchmarks."""
    unknown = sorted(set(candidates) - set(CANDIDATES))
    if unknown:
        raise ValueError(
            f"forecasting.candidate_models: unknown model(s) {unknown}; "
            f"choose from {sorted(CANDIDATES)}"
        )
    missing = [name for name in (SEASONAL_NAIVE, NAIVE) if name not in candidates]
    if missing:
        raise ValueError(
            f"forecasting.candidate_models must include {' and '.join(missing)}: MASE, the "
            "accuracy report and each SKU's reliability are measured against seasonal naive, "
            "or Naive where the history is shorter than a season"
        )


def family_models(candidates: Sequence[str], season_steps: int) -> dict[str, list[Any]]:
    """The candidate models grouped by family, each family one StatsForecast call.

    Args:
        candidates: model names (keys of ``CANDIDATES``).
        season_steps: season length in series steps (trading days in a week).

    Returns:
        family name -> unfitted models, only families with at least one candidate.
    """
    check_candidates(candidates)
    wanted = set(candidates)
    groups = {}
    for family, names in FAMILIES.items():
        models = [CANDIDATES[name](season_steps) for name in names if name in wanted]
        if models:
            groups[family] = models
    return groups


def routed(demand_pattern: str, candidates: Sequence[str]) -> list[str]:
    """The candidates a SKU of this demand pattern may choose from."""
    if demand_pattern not in ROUTES:
        raise ValueError(
            f"demand pattern {demand_pattern!r} is unknown; expected one of "
            f"{sorted(ROUTES)} (from forecasting.demand.classify_demand)"
        )
    return [name for name in ROUTES[demand_pattern] if name in candidates]


def min_history_for_intervals(horizon: int) -> int:
    """Fewest observations a series needs for bands from its own errors over ``horizon`` steps.

    ``INTERVAL_WINDOWS`` windows of the horizon plus one point to fit on; below that a
    series is forecast by the short-history model, whose normal intervals need no windows.
    """
    return INTERVAL_WINDOWS * horizon + 1


def build_model(name: str, season_steps: int) -> Any:
    """One named, unfitted model (a key of ``CANDIDATES``) for a season of ``season_steps``."""
    check_candidates([name, SEASONAL_NAIVE, NAIVE])
    return CANDIDATES[name](season_steps)
