"""The feedback page's text section: what customers write, by theme, how negative, where
and when, and the themes whose negative share rose beyond their usual range."""

from __future__ import annotations

import duckdb

from reports.pages.feedback import theme_figures, theme_queries
from reports.site import layout
from reports.site.format import esc, fmt_date, fmt_int, fmt_number, fmt_pct, fmt_text
from reports.site.layout import chart, empty_note, table

NOT_BUILT = "The review text has not been analysed yet: marts.feedback_text_model is missing."
NO_THEMES = "No themes yet: fewer than two reviews or NPS comments have text."
THEME_COLUMNS: tuple[layout.Column, ...] = (
    ("theme", "Theme", fmt_text, "txt"),
    ("top_terms", "Top terms", fmt_text, "txt"),
    ("texts", "Texts", fmt_int, "num"),
    ("text_share", "Share of texts", fmt_pct, "num"),
    ("negative_texts", "Negative", fmt_int, "num"),
    ("negative_rate", "Negative rate", fmt_pct, "num"),
    ("products", "SKUs behind it (negative texts)", fmt_text, "txt"),
    ("carriers", "Carriers behind it (negative texts)", fmt_text, "txt"),
)
ALERT_COLUMNS: tuple[layout.Column, ...] = (
    ("week", "Week", fmt_date, "txt"),
    ("theme", "Theme", fmt_text, "txt"),
    ("negative_texts", "Negative texts", fmt_int, "num"),
    ("all_texts", "Texts that week", fmt_int, "num"),
    ("negative_share", "Negative share", fmt_pct, "num"),
    ("usual_max_negative_share", "Usual up to", fmt_pct, "num"),
)


def signal_note(model: dict[str, object]) -> str:
    """What the sentiment model is worth here: its held-out AUC, or why it is not used."""
    auc, minimum = model.get("held_out_auc"), model.get("min_auc")
    rating = model.get("negative_max_rating") or 2
    verdict = (
        f"A text is negative when its own rating is {esc(rating)} stars or fewer or its NPS "
        "score 6 or less; "
    )
    if model.get("signal_strong_enough"):
        return (
            f'<p class="meta" data-text-signal="strong">{verdict}a text without either (an '
            "unrated review, a comment) when the text model says so. The model (TF-IDF + "
            f"logistic regression) learned from {fmt_int(model['trained_on'])} of the shop's rated "
            f"reviews; on {fmt_int(model['held_out'])} reviews it never saw it tells the negative "
            f"ones apart with AUC {fmt_number(auc, 3)} and accuracy "
            f"{fmt_pct(model['held_out_accuracy'])} (at least {fmt_number(minimum, 2)} needed).</p>"
        )
    measured = f"held-out AUC {fmt_number(auc, 3)}" if auc is not None else "too few rated reviews"
    return (
        f'<p class="meta warn" data-text-signal="weak">The text signal is too weak for this shop '
        f"({measured}; {fmt_number(minimum, 2)} needed), so the text model is not used. "
        f"{verdict}a text with neither is not counted as negative.</p>"
    )


def _snippets(themes) -> str:
    items = []
    for row in themes.iter_rows(named=True):
        quotes = "".join(
            f"<li>“{esc(row[f'snippet_{i}'])}”</li>" for i in (1, 2, 3) if row[f"snippet_{i}"]
        )
        items.append(f'<h3>{esc(row["theme"])}</h3><ul class="snippets">{quotes}</ul>')
    return "".join(items)


def text_section(con: duckdb.DuckDBPyConnection) -> str:
    """Heading, model note, alerts, themes chart and table, trends, late vs on time, snippets."""
    heading = "<h2>What customers write</h2>"
    if not theme_queries.built(con):
        return heading + empty_note(NOT_BUILT)
    themes = theme_queries.themes(con)
    if themes.is_empty():
        return heading + signal_note(theme_queries.text_model(con)) + empty_note(NO_THEMES)
    alerts = theme_queries.alerts(con)
    return f"""{heading}
{signal_note(theme_queries.text_model(con))}
<h3>Rising complaints</h3>
{table(alerts, ALERT_COLUMNS, "No theme's negative share rose beyond its usual range.",
       "weeks whose negative share of a theme rose beyond its usual range", "feedback-alerts")}
{chart(theme_figures.themes_by_volume(themes), "chart-themes", NO_THEMES)}
{table(themes, THEME_COLUMNS, NO_THEMES, None, "feedback-themes")}
<p class="meta">Themes are found in the texts (NMF on TF-IDF, the number chosen by
coherence) and named by their top terms or by their seed in the settings; a text belongs to
its strongest theme. Negative share = the theme's negative texts / all texts that week (or
after that delivery).</p>
{chart(theme_figures.negative_trend(theme_queries.weekly(con)), "chart-theme-trend", NO_THEMES)}
{chart(theme_figures.negative_after_delivery(theme_queries.after_delivery(con)),
       "chart-theme-delivery", "No texts on delivered orders yet.")}
<h3>Example snippets</h3>
<p class="meta">The three texts most typical of each theme; e-mail addresses and phone
numbers masked.</p>
{_snippets(themes)}"""  # fmt: skip
