"""SettingsError, and the words for what a setting allows, read from the models' JSON schema.

The same `type_text` and `allowed_text` write the error messages and docs/settings.md, so
a range is stated once, in the model, and said the same way in both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError


class SettingsError(ValueError):
    """A settings file that cannot be used; the message lists every problem in it.

    Args:
        source: the settings file (or a description of where the settings came from).
        problems: one line per problem, each starting with the key path it concerns.
    """

    def __init__(self, source: str | Path, problems: Sequence[str]):
        self.source = str(source)
        self.problems = list(problems)
        count = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"settings file {self.source}: {count}\n{lines}")


def problems(error: ValidationError, schema: dict[str, Any]) -> list[str]:
    """One line per validation error: the key path, the value, what is wrong and what is allowed.

    Args:
        error: pydantic's error for the whole file (it collects every invalid value).
        schema: the JSON schema of the model that was validated.
    """
    return [_problem(detail, schema) for detail in error.errors(include_url=False)]


def _problem(detail: dict[str, Any], schema: dict[str, Any]) -> str:
    loc = tuple(detail["loc"])
    if loc and loc[-1] == "[key]":  # a key of a map field, e.g. service_level.D
        keys = _at(schema, loc[:-2]).get("propertyNames", {}).get("enum", [])
        return f"{_path(loc[:-1])}: unknown key; allowed keys: {', '.join(map(str, keys))}"
    if detail["type"] == "extra_forbidden":
        keys = _at(schema, loc[:-1]).get("properties", {})
        return f"{_path(loc)}: unknown key; allowed keys: {', '.join(keys)}"
    if detail["type"] == "missing":  # a required key of a section (alerts.smtp.host)
        allowed = allowed_words(_at(schema, loc))
        return f"{_path(loc)}: missing; it is required" + (f" ({allowed})" if allowed else "")
    reason = detail["msg"].removeprefix("Value error, ")
    reason = reason[:1].lower() + reason[1:]
    # pydantic's Python words for the YAML forms a reader writes
    reason = re.sub(r"a valid dictionary( or instance of \w+)?", "a map", reason)
    reason = reason.replace("a valid tuple", "a list")
    node, where = _at(schema, loc), _path(loc) or "the file"
    if detail["type"] == "value_error" and "properties" in node:  # keys that disagree
        return f"{where}: {reason}"
    allowed = allowed_words(node)
    return f"{where} = {detail['input']!r}: {reason}" + (f"; allowed: {allowed}" if allowed else "")


def _path(loc: tuple) -> str:
    """`inventory.service_level.A`, `forecasting.levels[1]`."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


def allowed_words(node: dict[str, Any]) -> str:
    """Type and allowed values together: `integer >= 1`, `one of D, W, M`."""
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        return f"{allowed_words(branches[0])} or null"
    kind, allowed = type_text(node), allowed_text(node)
    return allowed if kind == "choice" else f"{kind} {allowed}".strip()


def _at(schema: dict[str, Any], loc: tuple) -> dict[str, Any]:
    """The schema of the value at `loc` (field names, map keys and list positions)."""
    root, node = schema, _resolved(schema, schema)
    for part in loc:
        if "properties" in node and part in node["properties"]:
            node = node["properties"][part]
        elif isinstance(part, int) and "items" in node:
            node = node["items"]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return {}
        node = _resolved(root, node)
    return node


def _resolved(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a `$ref`, and step into the one non-null branch of an `X or null` field."""
    if "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        return _resolved(root, {**node, **branches[0], "anyOf": []})
    return node


def nullable(node: dict[str, Any]) -> bool:
    return any(branch.get("type") == "null" for branch in node.get("anyOf", []))


def type_text(node: dict[str, Any]) -> str:
    """The type of a schema node in words: integer, number, list of integers, map, ..."""
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        return type_text(branches[0]) + (" or null" if nullable(node) else "")
    if "x-type" in node:
        return node["x-type"]
    if "enum" in node:
        return "choice"
    kind = node.get("type")
    if kind == "array":
        return f"list of {_plural(type_text(node.get('items', {})))}"
    if kind == "object":
        return "map"
    return {"integer": "integer", "number": "number", "boolean": "true/false"}.get(
        kind, "text" if kind == "string" else ""
    )


def allowed_text(node: dict[str, Any]) -> str:
    """The values a schema node allows, in words ("" when any value of its type will do)."""
    branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        return allowed_text(branches[0])
    if "x-allowed" in node:
        return node["x-allowed"]
    if "enum" in node:
        return "one of " + ", ".join(map(str, node["enum"]))
    if node.get("type") == "array":
        parts = [allowed_text(node.get("items", {}))]
        if node.get("minItems"):
            parts.append(f"at least {node['minItems']}")
        return ", ".join(part for part in parts if part)
    if "properties" in node:  # a section
        return "keys " + ", ".join(node["properties"])
    if node.get("type") == "object" and "propertyNames" in node:
        keys = ", ".join(node["propertyNames"].get("enum", []))
        return f"keys {keys}; values {allowed_words(node.get('additionalProperties', {}))}"
    return _bounds(node)


def _bounds(node: dict[str, Any]) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    low_open, high_open = node.get("exclusiveMinimum"), node.get("exclusiveMaximum")
    if low_open is not None and high_open is not None:
        return f"strictly between {low_open} and {high_open}"
    if low is not None and high is not None:
        return f"{low} to {high}"
    words = []
    if low is not None:
        words.append(f">= {low}")
    if low_open is not None:
        words.append(f"> {low_open}")
    if high is not None:
        words.append(f"<= {high}")
    if high_open is not None:
        words.append(f"< {high_open}")
    return " and ".join(words)


def _plural(word: str) -> str:
    if word.endswith("ss"):
        return f"{word}es"
    return word if word.endswith("s") else f"{word}s"
