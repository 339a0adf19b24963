"""Write docs/settings.md from the settings models in config/settings.py (the one place for
every default, range and meaning).

    .venv/bin/python scripts/settings_doc.py        # rewrite the doc
tests/config/test_settings_doc.py fails when the doc and the models disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.settings import Settings
from config.settings_errors import allowed_text, type_text
from forecasting.models import CANDIDATES

DOC = ROOT / "docs" / "settings.md"

INTRO = """# Settings

Every setting of a run, its type, default, allowed values and meaning. This page is
generated from the models in `config/settings.py` by `scripts/settings_doc.py`; edit the
models, not this page.

Settings are one optional YAML file, one section per stage, passed as
`orderpulse run --settings FILE` (in Dagster: the `settings` resource, `settings_file`).
Every key is optional: a file names only what it changes. In the two maps
(`inventory.service_level`, `quality.export_max_lag_days`) the keys a file leaves out keep
their defaults. `null` is YAML for none.

```yaml
forecasting:
  horizon_days: 14
inventory:
  policy: eoq
  service_level: {A: 0.99}   # B and C keep 0.95 and 0.90
warehouse:
  memory_limit: 6GB
```

The whole file is checked before any step runs. A wrong type, a value out of range, an
unknown key or an unknown model name stops `orderpulse run` with exit code 2 and one line
per problem, each naming the key, the value and what is allowed:

```
error: settings file settings.yaml: 2 problems
  inventory.service_level.A = 1.5: input should be less than or equal to 1; allowed: number > 0 and <= 1
  forecasting.horizon_dayz: unknown key; allowed keys: horizon_days, levels, ...
```
"""

# The model names live in forecasting, which config does not import: the page lists them.
EXTRA_ALLOWED = {
    ("forecasting", "candidate_models"): "names from " + ", ".join(CANDIDATES),
}


def yaml_value(value: Any) -> str:
    """A default as it would be written in the YAML file."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_value(v)}" for k, v in value.items()) + "}"
    if value == "":
        return '""'
    return str(value)


def section(name: str, schema: dict[str, Any], defaults: Any) -> str:
    model = schema["$defs"][type(defaults).__name__]
    lines = [
        f"## `{name}`",
        "",
        model["description"],
        "",
        "| key | type | default | allowed | meaning |",
        "|---|---|---|---|---|",
    ]
    for key, field in model["properties"].items():
        allowed = EXTRA_ALLOWED.get((name, key)) or allowed_text(field)
        cells = (
            f"`{key}`",
            type_text(field),
            f"`{yaml_value(getattr(defaults, key))}`",
            allowed,
            field["description"],
        )
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def render() -> str:
    schema = Settings.model_json_schema()
    defaults = Settings()
    sections = [section(name, schema, getattr(defaults, name)) for name in Settings.model_fields]
    return "\n".join([INTRO, *sections])


if __name__ == "__main__":
    DOC.write_text(render())
    print(f"wrote {DOC.relative_to(ROOT)}")
