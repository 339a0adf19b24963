"""The stylesheet and scripts are real files (reports/site/static/, the demand page's
explorer.js), inlined whole into the pages that use them, so every page stays one file."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.pages.demand.explorer import EXPLORER_JS
from reports.pages.reorder.list_section import LIST_SCRIPT
from reports.site.chart_embed import DRAW_CHARTS_SCRIPT, TEMPLATE_ID
from reports.site.layout import PAGES as NAV
from reports.site.layout import STYLESHEET
from reports.site.static_files import STATIC, static_text
from reports.site.widgets import TABLE_SCRIPT

PAGES = tuple(name for name, _, _ in NAV)


@pytest.mark.parametrize("name", PAGES)
def test_every_page_inlines_the_stylesheet_and_the_chart_script_once(site: Path, name: str) -> None:
    text = (site / name).read_text(encoding="utf-8")
    assert text.count(f"<style>\n{static_text(STYLESHEET)}</style>") == 1
    assert text.count(f"<script>\n{static_text(DRAW_CHARTS_SCRIPT)}</script>") == 1


def test_the_interactive_table_and_the_explorer_scripts_are_inlined_where_used(site: Path) -> None:
    table_script = f"<script>\n{static_text(TABLE_SCRIPT)}</script>"
    explorer_script = f"<script>\n{EXPLORER_JS.read_text(encoding='utf-8')}</script>"
    for name in PAGES:
        text = (site / name).read_text(encoding="utf-8")
        # The reorder list has its own script; the generic table is the levels table of a
        # shop without stock counts, which the tiny site is not.
        assert text.count(f"<script>\n{static_text(LIST_SCRIPT)}</script>") == (
            name == "reorder.html"
        ), name
        assert text.count(table_script) == 0, name
        assert text.count(explorer_script) == (name == "demand.html"), name


def test_scripts_read_the_template_element_the_pages_carry() -> None:
    for script in (STATIC / DRAW_CHARTS_SCRIPT, EXPLORER_JS):
        assert f'document.getElementById("{TEMPLATE_ID}")' in script.read_text(encoding="utf-8")
