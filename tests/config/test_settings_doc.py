"""docs/settings.md is generated from the settings models and must not drift from them."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings_doc():
    spec = importlib.util.spec_from_file_location(
        "settings_doc", ROOT / "scripts" / "settings_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_doc_is_current():
    assert (ROOT / "docs" / "settings.md").read_text() == _settings_doc().render(), (
        "docs/settings.md is stale: run .venv/bin/python scripts/settings_doc.py"
    )


def test_every_key_is_documented_with_its_default():
    from config.settings import Settings

    page = _settings_doc().render()
    for name, section in Settings():
        assert f"## `{name}`" in page
        for key in type(section).model_fields:
            assert f"| `{key}` |" in page, f"{name}.{key} missing from docs/settings.md"
