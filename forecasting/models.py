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

Models without native intervals get conformal ones (statsforecast ConformalIntervals);
every model is deterministic, so the same input gives the same forecast.
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
    ConformalIntervals,
    CrostonClassic,
    CrostonOptimized,
    CrostonSBA,
    HistoricAverage,
    Naive,
    SeasonalExponentialSmoothingOptimized,
    SeasonalNaive,
    SeasonalWindowAverage,
)

CONFORMAL_WINDOWS = 2
SHORT_HISTORY_MODEL = "HistoricAverage"
SEASONAL_NAIVE = "SeasonalNaive"

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
    """Reject unknown model names and a candidate list without the seasonal-naive benchmark."""
    unknown = sorted(set(candidates) - set(CANDIDATES))
    if unknown:
        raise ValueError(
            f"forecasting.candidate_models: unknown model(s) {unknown}; "
            f"choose from {sorted(CANDIDATES)}"
        )
    if SEASONAL_NAIVE not in candidates:
        raise ValueError(
            "forecasting.candidate_models must include SeasonalNaive: MASE and the accuracy "
            "report are measured against it"
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


def min_history_for_conformal(horizon: int) -> int:
    """Fewest observations a series needs for conformal intervals over ``horizon`` steps.

    statsforecast refuses fewer than two hold-out windows of the horizon plus one point to
    fit on; below that a series is forecast by the short-history model, whose normal
    intervals need no hold-out windows.
    """
    return CONFORMAL_WINDOWS * horizon + 1


def build_model(name: str, season_steps: int, horizon: int) -> Any:
    """One named model ready to forecast ``horizon`` steps with intervals.

    Args:
        name: a key of ``CANDIDATES``.
        season_steps: season length in series steps.
        horizon: forecast steps; conformal intervals are calibrated on this horizon.

    Returns:
        An unfitted model; all but the short-history model carry conformal intervals, so
        every model's bounds are calibrated the same way on the SKU's own recent errors.
    """
    check_candidates([name, SEASONAL_NAIVE])
    model = CANDIDATES[name](season_steps)
    if name != SHORT_HISTORY_MODEL:
        model.prediction_intervals = ConformalIntervals(h=horizon, n_windows=CONFORMAL_WINDOWS)
    return model
