"""The asset-check factory: two blocking Dagster checks per suite in `quality.suites`.

- `unique_key`: the table's key is unique and never null (DuckDB SQL);
- `expectations`: not-null columns (DuckDB SQL) and the Great Expectations value rules.

A failing blocking check stops everything downstream of its asset (no reorder list from
a broken feed) and shows its evidence, with bad-row counts and examples, in the Dagster UI.

Each check validates the rows written since it last passed, or the whole table when that
is needed or asked for (quality/check_scope.py says which and why); the metadata `scope`
and `rows` say what it read.
"""

from collections.abc import Callable

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from config.pools import DUCKDB_POOL
from quality.check_scope import FULL_CHECKS_TAG, CheckScope, check_scope, record_verdict
from quality.results import gate_result, record_results
from quality.suites import SUITES, Suite, fix
from quality.table_rules import key_violations, null_counts
from quality.validate import columns_used, validate_batches
from warehouse.preview import markdown_preview

VALIDATE_BATCH_ROWS = 1_000_000


def _copy_selected(con, table: str, suite: Suite, where: str, number: int) -> str:
    """Copy the columns the checks read of the rows `where` selects into a temp table; its
    name. The selection (a join with the written days or visitors) then runs once per
    table instead of once per query of each check. It finds the rows' ids reading only the
    columns `where` names, then fetches the checked columns of those rows alone (the SF1
    events after a nightly build, 3 % of 4.9M rows: 0.12 CPU s, against 0.28 reading every
    row's checked columns)."""
    used = [*suite.key, *suite.not_null, *suite.source, *columns_used(suite.rules())]
    columns = ", ".join(f'"{c}"' for c in dict.fromkeys(used))
    name = f"checked_rows_{number}"
    con.execute(
        f"create or replace temp table {name} as select {columns} from {table} "
        f"where rowid in (select rowid from {table} where {where})"
    )
    return name


def _key_result(
    con, table: str, suite: Suite, scope: CheckScope, rows: str | None
) -> dg.AssetCheckResult:
    # A key holding the day column cannot be shared across days: the written days suffice.
    whole_keys = scope.by_days_only and suite.day_column in suite.key
    gate = key_violations(con, table, suite.key, scope.where, whole_keys, selected=rows)
    if not gate.passed:
        gate.description = f"{gate.description}. {fix(table)}"
    gate.evidence["scope"] = scope.reason
    return gate_result(gate, check_name="unique_key")


def _expectations_result(
    con, table: str, suite: Suite, scope: CheckScope, rows: str | None
) -> dg.AssetCheckResult:
    expectations = suite.rules()
    # A failing row is named by its key and, where the table keeps them, its export file and line.
    named_by = tuple(dict.fromkeys([*suite.key, *suite.source]))
    checked, where = (rows, None) if rows else (table, scope.where)
    nulls = null_counts(con, checked, suite.not_null, named_by, where)
    used = columns_used(expectations)
    # Only the columns the rules look at travel to pandas (plus the key, to name a failing
    # row): on the demo's 1.7M events that is seconds, not tens of seconds.
    columns = ", ".join(f'"{c}"' for c in dict.fromkeys([*named_by, *used]))
    result = None
    if used:
        # GX copies what it validates into pandas: a batch of rows at a time keeps a check of
        # tens of millions of events within a fixed memory (the reader is read to the end).
        source = f"{checked} where {where}" if where else checked
        reader = con.sql(f"select {columns} from {source}").to_arrow_reader(VALIDATE_BATCH_ROWS)
        batches = (pl.from_arrow(batch) for batch in reader)
        result = validate_batches(batches, table, expectations, key=named_by)
    parts = [] if nulls.passed else [nulls.description]
    if result is not None and not result.success:
        parts.append(result.summary())
    evaluated = len(suite.not_null) + (result.evaluated if result else 0)
    metadata = {
        "scope": scope.reason,
        "rows": dg.MetadataValue.int(nulls.evidence["rows"]),
        "expectations": dg.MetadataValue.int(evaluated),
        "null_rows": dg.MetadataValue.json(nulls.evidence["null_rows"]),
        "failures": dg.MetadataValue.json(result.failures if result else []),
    }
    if nulls.examples is not None:
        metadata["null_examples"] = dg.MetadataValue.md(markdown_preview(nulls.examples))
    return dg.AssetCheckResult(
        check_name="expectations",
        passed=not parts,
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"{'; '.join(parts)}. {fix(table)}"
        if parts
        else f"all {evaluated} expectations passed",
        metadata=metadata,
    )


def check_names(suite: Suite) -> tuple[str, ...]:
    """The checks a suite makes: `unique_key` when it has a key, and `expectations`."""
    return ("unique_key", "expectations") if suite.key else ("expectations",)


def checks_per_table() -> dict[str, int]:
    """How many checks each table's suite makes."""
    return {table: len(check_names(suite)) for table, suite in SUITES.items()}


def evaluate(
    con,
    table: str,
    suite: Suite,
    selected: set[str],
    full: bool = False,
    log: Callable[[str], None] = lambda _: None,
) -> list[dg.AssetCheckResult]:
    """Run the selected checks of `table` on the rows they must validate, and record each
    verdict for the next run (quality/check_scope.py).

    Args:
        con: a read-write warehouse connection.
        table: `schema.table`.
        suite: its suite.
        selected: the check names to run ("unique_key", "expectations").
        full: validate every row (the run asks for a full validation).
        log: where to say which rows each check validates and why.

    Returns:
        One result per selected check.
    """
    checks = {"unique_key": _key_result, "expectations": _expectations_result}
    results = []
    copies: dict[str, str] = {}  # the rows a `where` selects, copied once for every check
    try:
        for name in check_names(suite):
            if name not in selected:
                continue
            scope = check_scope(con, table, name, suite.fingerprint(name), suite.day_column, full)
            log(f"{table} {name}: {scope.reason}")
            rows = None
            if scope.where is not None:
                if scope.where not in copies:
                    copies[scope.where] = _copy_selected(
                        con, table, suite, scope.where, len(copies)
                    )
                rows = copies[scope.where]
            result = checks[name](con, table, suite, scope, rows)
            record_verdict(con, table, name, scope, bool(result.passed), len(check_names(suite)))
            results.append(result)
    finally:
        for copy in copies.values():
            con.execute(f"drop table if exists {copy}")
    return results


def _table_checks(table: str, suite: Suite) -> dg.AssetChecksDefinition:
    asset = dg.AssetKey(table.split("."))
    specs = []
    if suite.key:
        specs.append(
            dg.AssetCheckSpec(
                "unique_key",
                asset=asset,
                blocking=True,
                description=f"Key ({', '.join(suite.key)}) of {table} unique and not null (DuckDB SQL).",
            )
        )
    specs.append(
        dg.AssetCheckSpec(
            "expectations",
            asset=asset,
            blocking=True,
            description=f"Not-null columns (DuckDB SQL) and Great Expectations value rules of {table} (quality/suites.py).",
        )
    )

    # One step for both checks of a table: each step costs Dagster ~0.2 s of bookkeeping.
    @dg.multi_asset_check(
        specs=specs,
        name=f"{asset.path[0]}_{asset.path[1]}_checks",
        can_subset=True,
        pool=DUCKDB_POOL,
    )
    def _checks(context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource):
        selected = {key.name for key in context.selected_asset_check_keys}
        full = context.run.tags.get(FULL_CHECKS_TAG, "").lower() == "true"
        with duckdb.get_connection() as con:
            results = evaluate(con, table, suite, selected, full, context.log.info)
            yield from record_results(con, context.run.run_id, results, asset=asset)

    return _checks


def suite_checks() -> list[dg.AssetChecksDefinition]:
    return [_table_checks(table, suite) for table, suite in SUITES.items()]
