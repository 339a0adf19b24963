"""Write docs/settings.md from the settings models in config/settings.py (the one place for
every default, range and meaning).

    .venv/bin/python scripts/settings_doc.py        # rewrite the doc
tests/config/test_settings_doc.py fails when the doc and the models disagree.
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.settings import Settings
from config.settings_errors import allowed_text, nullable, type_text
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
  horizon: 14
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
  forecasting.horizonn: unknown key; allowed keys: bucket, horizon, levels, ...
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


def _sub_section(schema: dict[str, Any], field: dict[str, Any]) -> str | None:
    """The model name of a field that is itself a section (`alerts.smtp`), else None."""
    refs = [b["$ref"] for b in [field, *field.get("anyOf", [])] if "$ref" in b]
    return refs[0].rsplit("/", 1)[-1] if refs else None


def _default_text(model: type[BaseModel], key: str, value: Any) -> str:
    if model.model_fields[key].is_required():
        return "required"
    if isinstance(value, BaseModel):
        return "(below)"
    return f"`{yaml_value(value)}`"


def section(name: str, schema: dict[str, Any], model_type: type[BaseModel], level: int = 2) -> str:
    """The table of one section, then a table per section nested in it (`alerts.smtp`)."""
    model = schema["$defs"][model_type.__name__]
    lines = [
        f"{'#' * level} `{name}`",
        "",
        " ".join(model["description"].split()),
        "",
        "| key | type | default | allowed | meaning |",
        "|---|---|---|---|---|",
    ]
    nested = []
    for key, field in model["properties"].items():
        info = model_type.model_fields[key]
        value = None if info.is_required() else info.get_default(call_default_factory=True)
        inner = _sub_section(schema, field)
        if inner is not None:
            nested.append((f"{name}.{key}", inner))
            keys = ", ".join(schema["$defs"][inner]["properties"])
            kind, allowed = "section" + (" or null" if nullable(field) else ""), f"keys {keys}"
        else:
            kind = type_text(field)
            allowed = EXTRA_ALLOWED.get((name, key)) or allowed_text(field)
        cells = (
            f"`{key}`",
            kind,
            _default_text(model_type, key, value),
            allowed,
            field["description"],
        )
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    text = "\n".join(lines) + "\n"
    for path, inner in nested:
        inner_type = model_type.model_fields[path.rsplit(".", 1)[-1]].annotation
        inner_type = next(t for t in _model_types(inner_type) if t.__name__ == inner)
        text += "\n" + section(path, schema, inner_type, level + 1)
    return text


def _model_types(annotation: Any) -> list[type[BaseModel]]:
    """The settings models in a field's type (`SmtpSettings | None` holds one)."""
    members = typing.get_args(annotation) or (annotation,)
    return [t for t in members if isinstance(t, type) and issubclass(t, BaseModel)]


def render() -> str:
    schema = Settings.model_json_schema()
    sections = [
        section(name, schema, type(getattr(Settings(), name))) for name in Settings.model_fields
    ]
    return "\n".join([INTRO, *sections])


if __name__ == "__main__":
    DOC.write_text(render())
    print(f"wrote {DOC.relative_to(ROOT)}")
