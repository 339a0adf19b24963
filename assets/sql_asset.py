"""Factory for assets that are one SQL model each (staging and marts)."""

import contextlib

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.sql_references import table_references
from assets.warehouse import SQL_DIR, build_table, model_sql, prepare, table_result
from config.pools import DUCKDB_POOL
from config.resources import RunPaths, SettingsResource
from incremental.day_build import DayBuild, build_daily_mart
from incremental.key_build import KeyBuild, build_keyed_table, rebuilt_keys_only
from incremental.visitor_build import VisitorBuild, build_visitor_table
from warehouse.frames import query
from warehouse.preview import markdown_preview


def model_description(layer: str, table: str) -> str:
    """The model's leading comment block: it starts with the table's grain."""
    lines = []
    for line in model_sql(layer, table).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


class RebuildConfig(dg.Config):
    """Run config of the incremental SQL assets (incremental/visitor_build.py,
    incremental/day_build.py) and the model backtest (incremental/backtest_cadence.py)."""

    # Recompute every visitor or day, or run the backtest, even when the last build serves.
    full_rebuild: bool = False


def build_metadata(build: VisitorBuild) -> dict[str, object]:
    """What an incremental table's build did, for the Dagster UI."""
    days = ", ".join(str(d) for d in build.changed_days[:10]) + (
        " ..." if len(build.changed_days) > 10 else ""
    )
    return {
        "build": build.mode,
        "build_reason": build.reason,
        "visitors_recomputed": dg.MetadataValue.int(build.visitors)
        if build.visitors is not None
        else "all",
        "rows_recomputed": dg.MetadataValue.int(build.rows_written),
        **({"changed_export_days": days} if build.changed_days else {}),
        **({"visitors_appended": dg.MetadataValue.int(build.appended)} if build.appended else {}),
    }


def _build_incremental(
    context: dg.AssetExecutionContext, con, schema: str, table: str, full: bool
) -> dict[str, object]:
    """Build a per-visitor table (incremental.visitor_build); its build metadata."""
    build = build_visitor_table(
        con,
        f"{schema}.{table}",
        model_sql(schema, table),
        (SQL_DIR / "macros.sql").read_text(),
        full=full,
    )
    visitors = build.visitors if build.visitors is not None else "all"
    context.log.info(
        f"{schema}.{table}: {build.mode} build ({build.reason}), "
        f"{visitors} visitors ({build.appended} appended), {build.rows_written} rows written"
    )
    return build_metadata(build)


def _build_keyed(
    context: dg.AssetExecutionContext, con, schema: str, table: str, full: bool
) -> tuple[KeyBuild, dict[str, object]]:
    """Build a keyed staging table by key (incremental.key_build); the build and its metadata."""
    build = build_keyed_table(
        con,
        f"{schema}.{table}",
        model_sql(schema, table),
        (SQL_DIR / "macros.sql").read_text(),
        full=full,
    )
    keys = build.keys if build.keys is not None else "all"
    context.log.info(
        f"{schema}.{table}: {build.mode} build ({build.reason}), "
        f"{keys} keys, {build.rows_written} rows written"
    )
    days = ", ".join(str(d) for d in build.changed_days[:10]) + (
        " ..." if len(build.changed_days) > 10 else ""
    )
    return build, {
        "build": build.mode,
        "build_reason": build.reason,
        "keys_recomputed": dg.MetadataValue.int(build.keys) if build.keys is not None else "all",
        "rows_recomputed": dg.MetadataValue.int(build.rows_written),
        **({"changed_export_days": days} if build.changed_days else {}),
    }


def _run_id(context: dg.AssetExecutionContext) -> str | None:
    """The id of the Dagster run the step belongs to; None when the asset is called
    directly, outside a run (bench.step, a test)."""
    try:
        return context.run.run_id
    except dg.DagsterError:  # a directly invoked asset has no run
        return None


def _build_daily(
    context: dg.AssetExecutionContext, con, schema: str, table: str, full: bool
) -> dict[str, object]:
    """Build a daily mart by day range (incremental.day_build); its build metadata."""
    build: DayBuild = build_daily_mart(
        con,
        f"{schema}.{table}",
        model_sql(schema, table),
        (SQL_DIR / "macros.sql").read_text(),
        full=full,
        run_id=_run_id(context),
    )
    first = str(build.first_day) if build.first_day else "-"
    context.log.info(
        f"{schema}.{table}: {build.mode} build ({build.reason}), days from {first} recomputed, "
        f"{build.rows_written} rows written"
    )
    return {
        "build": build.mode,
        "build_reason": build.reason,
        "first_recomputed_day": first if build.mode == "incremental" else "all",
        "rows_recomputed": dg.MetadataValue.int(build.rows_written),
    }


def _evidence_notes(
    context: dg.AssetExecutionContext, con, table: str, evidence: dict[str, str]
) -> dict[str, object]:
    """Each evidence query's rows as a markdown preview, logged when there are any."""
    notes: dict[str, object] = {}
    for name, sql in evidence.items():
        rows = query(con, sql)
        preview = markdown_preview(rows, rows=10) if rows.height else "none"
        notes[name] = dg.MetadataValue.md(preview)
        if rows.height:
            context.log.info(f"{table} {name}:\n{preview}")
    return notes


def sql_asset(
    schema: str,
    table: str,
    evidence: dict[str, str] | None = None,
    incremental: bool = False,
    daily: bool = False,
    keyed: bool = False,
) -> dg.AssetsDefinition:
    """An asset that rebuilds `schema.table` from `assets/sql/<schema>/<table>.sql`.

    Its deps are the tables the SQL reads (assets/sql_references.py).

    `evidence` maps a metadata name to a query whose rows are shown with the
    materialization (and logged when there are any): what the model decided that an analyst
    should know, e.g. which orders a newer export replaced.

    `incremental`: the table is built per visitor by incremental.visitor_build
    (only the visitors whose events changed are recomputed); run config `full_rebuild: true`
    forces a rebuild from scratch.

    `daily`: the table is a daily mart built by day range by incremental.day_build (only
    the days from the first whose inputs changed are recomputed); `full_rebuild` as above.

    `keyed`: the table is a staging table built by key by incremental.key_build (only the
    orders or snapshot days whose raw rows changed are recomputed); `full_rebuild` as above.
    Its evidence queries see `is_rebuilt_key(key)` true for the recomputed keys only.
    """

    def materialize(
        context: dg.AssetExecutionContext,
        paths: RunPaths,
        settings: SettingsResource,
        duckdb: DuckDBResource,
        full_rebuild: bool,
    ) -> dg.MaterializeResult:
        with duckdb.get_connection() as con:
            prepare(con, settings.get(), paths.salt())
            notes: dict[str, object] = {}
            keyed_build = None
            if incremental:
                notes.update(_build_incremental(context, con, schema, table, full_rebuild))
            elif daily:
                notes.update(_build_daily(context, con, schema, table, full_rebuild))
            elif keyed:
                keyed_build, built = _build_keyed(context, con, schema, table, full_rebuild)
                notes.update(built)
            else:
                build_table(con, schema, table)
            # the evidence of an incremental keyed build is about the keys it recomputed
            incremental_keys = keyed_build is not None and keyed_build.mode == "incremental"
            with rebuilt_keys_only(con) if incremental_keys else contextlib.nullcontext():
                notes.update(_evidence_notes(context, con, f"{schema}.{table}", evidence or {}))
            return table_result(con, schema, table, **notes)

    decorate = dg.asset(
        key=[schema, table],
        group_name=schema,
        deps=[dg.AssetKey([s, t]) for s, t in table_references(model_sql(schema, table))],
        pool=DUCKDB_POOL,
        kinds={"duckdb", "sql"},
        description=model_description(schema, table),
        metadata={"sql": dg.MetadataValue.path(str(SQL_DIR / schema / f"{table}.sql"))},
    )
    if incremental or daily or keyed:

        @decorate
        def _incremental_asset(
            context: dg.AssetExecutionContext,
            config: RebuildConfig,
            paths: RunPaths,
            settings: SettingsResource,
            duckdb: DuckDBResource,
        ) -> dg.MaterializeResult:
            return materialize(context, paths, settings, duckdb, config.full_rebuild)

        return _incremental_asset

    @decorate
    def _asset(
        context: dg.AssetExecutionContext,
        paths: RunPaths,
        settings: SettingsResource,
        duckdb: DuckDBResource,
    ) -> dg.MaterializeResult:
        return materialize(context, paths, settings, duckdb, full_rebuild=False)

    return _asset
