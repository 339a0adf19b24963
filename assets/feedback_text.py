"""Marts layer, what customers write: sentiment, themes, where and when each is said, and
alerts on rising complaints (feedback_text/); six tables from one fit, refitted on the
model backtest's weekly cadence (incremental/text_cadence.py)."""

import json

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from assets.sql_asset import RebuildConfig
from assets.sql_references import table_references
from assets.warehouse import table_result
from config.pools import DUCKDB_POOL
from config.resources import SettingsResource
from config.settings import ForecastingSettings
from config.settings_feedback import FeedbackSettings
from feedback_text.tables import SCORES, FeedbackTables, build_feedback_tables
from incremental.text_cadence import TextDecision, decide_fit, keep_models, kept_models, model_key
from warehouse.frames import query, replace_table, table_exists
from warehouse.transaction import transaction

# One row per text: a review's title and body, or an NPS comment, with the order's
# delivery outcome, first carrier and region and the product's category. Contact details
# are already masked in staging.
TEXTS_SQL = """
with feedback as (
    select * from staging.stg_feedback
),

deliveries as (
    select
        order_id,
        bool_or(cast(delivered_at as date) > promised_date)
            filter (where delivered_at is not null and promised_date is not null) as is_late,
        min(carrier) as carrier,
        min(region) as region
    from staging.stg_shipments
    group by order_id
),

catalog as (
    select sku, category from staging.stg_catalog
),

final as (
    select
        f.feedback_id,
        f.submitted_date,
        cast(date_trunc('week', f.submitted_date) as date) as week,
        f.feedback_type,
        f.order_id,
        f.sku,
        c.category,
        d.carrier,
        d.region,
        case when d.is_late then 'late' when not d.is_late then 'on time' end as delivery,
        f.rating,
        f.nps_score,
        concat_ws('. ', nullif(trim(f.title), ''), nullif(trim(f.body), '')) as text
    from feedback as f
    left join deliveries as d on f.order_id = d.order_id
    left join catalog as c on f.sku = c.sku
    where f.submitted_date is not null
)

select * from final
where text != ''
order by feedback_id
"""
THEMES_TABLE = "marts.feedback_theme_catalog"
TEXTS_TABLE = "marts.feedback_text"
FEEDBACK_TEXT_SPECS = {
    "feedback_text": "One row per review or NPS comment with text: the text model's probability "
    "that it is negative, whether it is negative, its theme, and its links (order, SKU, category, "
    "first carrier and region of the order's shipments, delivered late or on time).",
    "feedback_theme_catalog": "One row per theme of this run: a stable id (kept from the previous "
    "run's most similar theme), its name (top terms, or its seed's name), top terms and weights, "
    "NPMI coherence, texts and negative texts, three example snippets with contact details masked.",
    "feedback_themes": "One row per theme and week (Monday), zero-filled: its texts and negative "
    "texts, their shares of the week's texts, the usual range of its negative share and whether "
    "the week is flagged above it.",
    "feedback_theme_alerts": "One row per theme and week whose negative share rose beyond the "
    "theme's usual range (the flagged rows of marts.feedback_themes).",
    "feedback_theme_breakdown": "One row per theme and value of a dimension (category, sku, "
    "carrier, region, delivery: late / on time): the theme's texts and negative texts there and "
    "their shares of that value's texts.",
    "feedback_text_model": "One row: the sentiment model's held-out AUC and accuracy for "
    "'rating <= feedback.negative_max_rating', whether it clears feedback.min_auc (else negative "
    "means a low rating or NPS score), the number of themes and their coherence per count tried.",
}


def previous_themes(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, float]]:
    """The last run's theme id -> top-term weights, so this run's themes keep their ids."""
    if not table_exists(con, THEMES_TABLE):
        return {}
    rows = query(con, f"select theme_id, term_weights from {THEMES_TABLE}")
    return {r["theme_id"]: json.loads(r["term_weights"]) for r in rows.iter_rows(named=True)}


def scored_before(con: duckdb.DuckDBPyConnection) -> pl.DataFrame | None:
    """The last run's texts and their scores (None on a first run)."""
    if not table_exists(con, TEXTS_TABLE):
        return None
    return query(con, f"select feedback_id, text, {', '.join(SCORES)} from {TEXTS_TABLE}")


def write_feedback_text_tables(
    con: duckdb.DuckDBPyConnection,
    cfg: FeedbackSettings,
    every_days: int = ForecastingSettings().backtest_every_days,
    *,
    forced: bool = False,
) -> tuple[FeedbackTables, TextDecision]:
    """Read the texts and the last run's themes, build the marts and write them, with the
    fitted models kept for the next runs (incremental/text_cadence.py).

    Args:
        con: the warehouse connection (writer).
        cfg: the `feedback` settings.
        every_days: forecasting.backtest_every_days, the cadence of the fits.
        forced: fit again whatever the cadence says (run config `full_rebuild`).

    Returns:
        The tables written, and whether the models were fitted and why.
    """
    texts = query(con, TEXTS_SQL)
    kept, key = kept_models(con), model_key(cfg)
    decision = decide_fit(
        kept.key if kept else None,
        kept.through if kept else None,
        key,
        texts["submitted_date"].max(),
        every_days,
        forced=forced,
    )
    if decision.fit:
        tables = build_feedback_tables(texts, previous_themes(con), cfg)
    else:
        tables = build_feedback_tables(texts, {}, cfg, kept.models, scored_before(con))
    # One transaction: the kept models and the marts they scored never disagree.
    with transaction(con):
        replace_table(con, "marts", "feedback_text", tables.texts)
        replace_table(con, "marts", "feedback_theme_catalog", tables.themes)
        replace_table(con, "marts", "feedback_themes", tables.weekly)
        replace_table(con, "marts", "feedback_theme_alerts", tables.alerts)
        replace_table(con, "marts", "feedback_theme_breakdown", tables.breakdown)
        replace_table(con, "marts", "feedback_text_model", tables.model)
        if decision.fit and tables.fitted is not None:
            keep_models(con, tables.fitted, key, texts["submitted_date"].max())
    return tables, decision


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["marts", name],
            group_name="marts",
            description=description,
            kinds={"duckdb", "scikitlearn"},
            deps=[dg.AssetKey([schema, table]) for schema, table in table_references(TEXTS_SQL)],
        )
        for name, description in FEEDBACK_TEXT_SPECS.items()
    ],
    pool=DUCKDB_POOL,
)
def feedback_text_marts(
    context: dg.AssetExecutionContext,
    config: RebuildConfig,
    settings: SettingsResource,
    duckdb: DuckDBResource,
):
    run_settings = settings.get()
    with duckdb.get_connection() as con:
        tables, decision = write_feedback_text_tables(
            con,
            run_settings.feedback,
            run_settings.forecasting.backtest_every_days,
            forced=config.full_rebuild,
        )
        context.log.info(f"feedback text models: {decision.reason}")
        model = tables.model.row(0, named=True)
        notes = {
            "held_out_auc": model["held_out_auc"],
            "signal_strong_enough": model["signal_strong_enough"],
            "themes": dg.MetadataValue.md(
                "\n".join(
                    f"- {r['theme_id']}: {r['top_terms']}"
                    for r in tables.themes.iter_rows(named=True)
                )
                or "none"
            ),
            "alerts": dg.MetadataValue.int(tables.alerts.height),
            "models": "fitted" if decision.fit else "kept",
            "models_reason": decision.reason,
        }
        for alert in tables.alerts.head(5).iter_rows(named=True):
            context.log.warning(
                f"feedback theme {alert['theme']} rose to {alert['negative_share']:.1%} negative "
                f"in the week of {alert['week']} (usual up to {alert['usual_max_negative_share']:.1%})"
            )
        for name in FEEDBACK_TEXT_SPECS:
            extra = notes if name in ("feedback_text_model", "feedback_theme_catalog") else {}
            result = table_result(con, "marts", name, **extra)
            yield dg.MaterializeResult(asset_key=["marts", name], metadata=result.metadata)
