"""The data-contract page is generated from contract/exports.py and must not drift from it."""

import importlib.util
from pathlib import Path

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
