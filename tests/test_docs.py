"""The data-contract page is generated from contract/exports.py and must not drift from it."""

import importlib
import importlib.util
from pathlib import Path

import yaml

from config.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_data_contract_doc_is_current():
    spec = importlib.util.spec_from_file_location(
        "contract_doc", ROOT / "scripts" / "contract_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "data-contract.md").read_text() == module.render(), (
        "docs/data-contract.md is stale: run .venv/bin/python scripts/contract_doc.py"
    )


def test_readme_shows_the_two_commands_and_the_attribution():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "CC BY 4.0" in readme and "Online Retail" in readme


def test_your_shop_page_shows_the_tested_mappings_and_each_pages_feeds():
    """Catches docs/your-shop.md drifting from the mapping files the marketplace e2e test
    runs, or from the feeds each dashboard page reads (its FEEDS)."""
    doc = (ROOT / "docs" / "your-shop.md").read_text()
    assert "docs/your-shop.md" in (ROOT / "README.md").read_text()
    mappings = sorted((ROOT / "tests" / "e2e" / "fixtures" / "marketplace").glob("*.yaml"))
    assert len(mappings) == 4
    for mapping in mappings:
        assert f"```yaml\n{mapping.read_text().rstrip()}\n```" in doc, mapping.name
    rows = {line.split("|")[1].strip(): line.split("|")[2] for line in doc.splitlines()
            if line.startswith("| `") and ".html`" in line}  # fmt: skip
    for page in ("customers", "demand", "feedback", "funnel", "overview", "reorder", "sales"):
        module = importlib.import_module(f"reports.pages.{page}.page")
        html = "index.html" if page == "overview" else f"{page}.html"
        row = next(feeds for name, feeds in rows.items() if name.startswith(f"`{html}`"))
        assert [feed.strip() for feed in row.split(",")] == list(module.FEEDS), html


def test_your_shop_settings_example_is_valid():
    """Catches the settings example of docs/your-shop.md naming a key or value the settings
    models refuse (a copied example that stops the run with exit code 2)."""
    doc = (ROOT / "docs" / "your-shop.md").read_text()
    section = doc.split("## Settings a shop usually sets", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    settings = Settings.model_validate(yaml.safe_load(example))
    assert settings.ingest.currency == "BRL"
    assert settings.forecasting.trading_weekdays == (1, 2, 3, 4, 5, 6, 7)


def test_metric_catalogue_section_of_the_metrics_doc_is_current():
    """Catches docs/metrics.md describing a metric otherwise than reports/metric_catalogue.py
    computes it (a definition changed in code and not in the doc, or the reverse)."""
    spec = importlib.util.spec_from_file_location(
        "metrics_doc", ROOT / "scripts" / "metrics_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc = (ROOT / "docs" / "metrics.md").read_text()
    assert doc == module.render(doc), (
        "docs/metrics.md is stale: run .venv/bin/python scripts/metrics_doc.py"
    )
