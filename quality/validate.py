"""Run a Great Expectations suite on a frame and say what failed, with evidence.

GX 1.x validates pandas frames, not polars ones, and cannot validate DuckDB through
SQLAlchemy (see STACK_NOTES), so tables travel DuckDB -> polars -> pandas -> GX. One
ephemeral context per process: it writes nothing to disk and sends no telemetry.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import great_expectations as gx
import polars as pl
from great_expectations.data_context.types.base import ProgressBarsConfig


@dataclass
class Validation:
    success: bool
    evaluated: int
    failures: list[dict] = field(default_factory=list)  # one per failed expectation

    def summary(self) -> str:
        if self.success:
            return f"all {self.evaluated} expectations passed"
        return "; ".join(f"{f['expectation']} on {f['column']}: {f['unexpected']} bad rows" for f in self.failures)


@functools.cache
def _context():
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def validate(frame: pl.DataFrame, name: str, expectations: list) -> Validation:
    """Validate `frame` against `expectations` (GX expectation objects).

    Args:
        frame: the rows to check (a whole table or a sample of it).
        name: a name for the suite, e.g. the table name.
        expectations: list of `great_expectations.expectations.*` instances.

    Returns:
        A Validation with one entry per failed expectation: its type, column, count of
        unexpected rows and a few example values.
    """
    context = _context()
    source = context.data_sources.add_or_update_pandas(name=f"orderpulse_{name}")
    asset = source.add_dataframe_asset(name=name)
    batch_definition = asset.add_batch_definition_whole_dataframe(f"{name}_all")
    suite = gx.ExpectationSuite(name=f"{name}_suite")
    for expectation in expectations:
        suite.add_expectation(expectation.copy())
    batch = batch_definition.get_batch(
        batch_parameters={"dataframe": frame.to_pandas(use_pyarrow_extension_array=True)}
    )
    result = batch.validate(suite)
    failures = []
    for r in result.results:
        if r.success:
            continue
        config = r.expectation_config
        details = r.result or {}
        failures.append(
            {
                "expectation": config.type,
                "column": config.kwargs.get("column") or config.kwargs.get("column_list"),
                "unexpected": details.get("unexpected_count", details.get("observed_value")),
                "examples": [str(v) for v in (details.get("partial_unexpected_list") or [])[:5]],
            }
        )
    return Validation(success=result.success, evaluated=len(result.results), failures=failures)
