"""Reads of the feedback page's text section: the sentiment model, themes by volume and
negativity, weekly trends, the products and carriers behind each theme, and the alerts.

Only the feedback text marts are read (assets/feedback_text.py). They are optional
inputs: a warehouse built before them still publishes, and the section says so.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.frames import query, table_exists

MODEL_TABLE = "marts.feedback_text_model"
TREND_THEMES = 6  # the themes with the most negative texts get a trend line
BEHIND_EACH = 3  # products and carriers named per theme
RECENT_ALERT_WEEKS = 4  # the overview flags alerts of the newest weeks only


def built(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the feedback text marts exist in this warehouse."""
    return table_exists(con, MODEL_TABLE)


def text_model(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The one row of marts.feedback_text_model (held-out AUC, whether strong enough)."""
    rows = query(con, f"select * from {MODEL_TABLE}")
    return rows.row(0, named=True) if rows.height else {}


def themes(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per theme, most negative texts first: volume, negativity, terms, snippets,
    and the SKUs and carriers behind it (the most negative texts of the theme there)."""
    return query(
        con,
        f"""
        with totals as (
            select sum(texts) as all_texts from marts.feedback_theme_catalog
        ),

        ranked as (
            select
                theme_id,
                dimension,
                value,
                negative_texts,
                row_number() over (
                    partition by theme_id, dimension
                    order by negative_texts desc, texts desc, value
                ) as rank
            from marts.feedback_theme_breakdown
            where dimension in ('sku', 'carrier') and negative_texts > 0
        ),

        behind as (
            select
                theme_id,
                string_agg(value || ' (' || negative_texts || ')', ', ' order by rank)
                    filter (where dimension = 'sku') as products,
                string_agg(value || ' (' || negative_texts || ')', ', ' order by rank)
                    filter (where dimension = 'carrier') as carriers
            from ranked
            where rank <= {BEHIND_EACH}
            group by theme_id
        )

        select
            c.theme_id,
            c.theme,
            c.top_terms,
            c.texts,
            c.texts / nullif(t.all_texts, 0) as text_share,
            c.negative_texts,
            c.negative_texts / nullif(c.texts, 0) as negative_rate,
            b.products,
            b.carriers,
            c.snippet_1,
            c.snippet_2,
            c.snippet_3
        from marts.feedback_theme_catalog as c
        cross join totals as t
        left join behind as b on c.theme_id = b.theme_id
        order by c.negative_texts desc, c.texts desc, c.theme_id
        """,
    )


def weekly(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Weekly negative share of the themes with the most negative texts, with its usual
    range and the flagged weeks."""
    return query(
        con,
        f"""
        with top_themes as (
            select theme_id
            from marts.feedback_theme_catalog
            order by negative_texts desc, theme_id
            limit {TREND_THEMES}
        )

        select
            w.theme_id,
            w.theme,
            w.week,
            w.texts,
            w.negative_texts,
            w.negative_share,
            w.usual_max_negative_share,
            w.flagged
        from marts.feedback_themes as w
        where w.theme_id in (select theme_id from top_themes)
        order by w.theme_id, w.week
        """,
    )


def after_delivery(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per theme, its negative share after late and after on-time deliveries."""
    return query(
        con,
        """
        select theme_id, theme, value as delivery, texts, negative_texts, all_texts, negative_share
        from marts.feedback_theme_breakdown
        where dimension = 'delivery'
        order by theme_id, delivery
        """,
    )


def alerts(con: duckdb.DuckDBPyConnection, recent_only: bool = False) -> pl.DataFrame:
    """Flagged theme-weeks, newest first; with `recent_only`, those of the newest
    4 weeks with texts (what the overview flags)."""
    recent = (
        f"where week > (select max(week) from marts.feedback_themes) - interval {RECENT_ALERT_WEEKS} week"
        if recent_only
        else ""
    )
    return query(
        con,
        f"""
        select week, theme_id, theme, negative_texts, all_texts, negative_share,
            baseline_negative_share, usual_max_negative_share
        from marts.feedback_theme_alerts
        {recent}
        order by week desc, theme_id
        """,
    )
