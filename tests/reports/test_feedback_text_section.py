"""The feedback page's text section and the overview's flag, on the tiny warehouse with
the tiny feedback text marts (tests/reports/tiny_feedback_text.py)."""

from __future__ import annotations

import duckdb

from reports.pages.feedback.text_themes import NOT_BUILT, text_section
from reports.pages.overview.page import feedback_flag
from tests.reports.tiny_feedback_text import add_feedback_text_tables
from tests.reports.tiny_warehouse import build_warehouse


def test_a_warehouse_without_the_text_marts_says_so(tiny_warehouse):
    """Catches a page that fails on a warehouse built before the text marts existed."""
    with duckdb.connect(str(tiny_warehouse), read_only=True) as con:
        assert NOT_BUILT in text_section(con)
        assert feedback_flag(con) == ""


def test_the_section_shows_themes_snippets_and_the_flagged_week(tmp_path):
    """Catches a weak text model shown as if it could be trusted, a snippet left unescaped
    or unmasked, and a flagged week missing from the page and the overview."""
    db = build_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(db)) as con:
        add_feedback_text_tables(con)
    with duckdb.connect(str(db), read_only=True) as con:
        html = text_section(con)
        flag = feedback_flag(con)
    assert 'data-text-signal="weak"' in html and "too weak for this shop" in html
    assert "Rising complaints" in html and "2011-02-07" in html
    assert "delivery" in html and "Delivery was late, &lt;b&gt;again&lt;/b&gt;" in html
    assert "7946" not in html and "&lt;phone masked&gt;" in html
    assert "<strong>delivery</strong>" in flag and "2011-02-07" in flag
