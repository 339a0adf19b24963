"""Quarantine rows without customer personal data: the line stays, its personal values do not.

A line that cannot be split into the header's columns (too many fields, bytes that are
not UTF-8, JSON that is not an object) is quarantined whole, so its fix can be found. But
only the raw schema may hold exports as they came; quality.quarantine is read by the
data-quality page and by analysts. So before a broken line is stored:

- each field in a column the contract marks as personal data (`contract.pii_columns`;
  e-mail, name, phone, address), as the file's format maps it, becomes
  `<Email masked>` (the file's own column name). A line with k fields too many may have
  every later value shifted by up to k places, so the k fields after a personal column
  are masked too (`<masked>`): the unquoted comma that broke the line could be anywhere
  before them;
- anything left that looks like an e-mail address or phone number is masked
  (`<email masked>`, `<phone masked>`): in a line that could not be split at all, that is
  all there is to go by, and in a JSON line the values of personal keys are masked too.

The line keeps its fields, separators and length order, so the reason ("line has 10
fields but the header has 9") can still be checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import polars as pl

from contract.exports import pii_columns
from ingest.formats.base import ExportFormat, probe_row
from ingest.source_text import RAW_VALUE_CHARS

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]*\w")
# Digit groups split by spaces, dots or dashes, the later ones 3-4 digits long
# ("+44 20 7946 0958", "020-7946-0958", "(020) 7946 0958"), or + and 8-14 digits. Not
# inside a longer token: the all-digit groups of a run id or uuid
# ("...-1234-5678-9012-...") are not a phone. Dates (2011-12-09) and amounts do not match.
PHONE = re.compile(
    r"(?<![\w+-])(?:"
    r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]\d{3,4}[ .-]\d{3,4}"
    r"|\+\d{8,14}"
    r")(?![\w-])"
)
MASKED = "<masked>"
_PROBE = "\x1fpersonal-data-probe\x1f"


def mask_contact_details(text: str) -> str:
    """`text` with every e-mail address and phone number in it masked."""
    return PHONE.sub("<phone masked>", EMAIL.sub("<email masked>", text))


def personal_source_columns(
    export_format: ExportFormat,
    kind: str,
    frame: pl.DataFrame,
    header: list[str],
    section: Mapping[str, Any],
) -> set[str]:
    """The file's own columns that its format maps onto personal-data contract columns.

    Found by trying, as `ingest.read` finds unread columns: a probe value put in one
    column at a time, the column is personal when the probe comes out in a personal
    contract column. A column the format cannot map with the probe in it counts as
    personal (masking one value too many is the safe mistake).

    Args:
        export_format: the file's format.
        kind: export kind.
        frame: the file's rows in its own columns (may be empty).
        header: the file's columns.
        section: the kind's exports.yaml section.
    """
    personal = set(pii_columns(kind))
    sample = probe_row(frame, header)
    found = set()
    for name in header:
        if name in personal:
            found.add(name)
            continue
        if sample.schema[name] != pl.String():
            continue  # a number or date column holds no name or e-mail
        try:
            mapped = export_format.to_contract(
                kind, sample.with_columns(pl.lit(_PROBE).alias(name)), section
            )
        except Exception:  # noqa: BLE001 - any failure: mask rather than guess
            found.add(name)
            continue
        for column in personal & set(mapped.columns):
            if mapped[column].cast(pl.String()).str.contains(_PROBE, literal=True).any():
                found.add(name)
    return found


def _masked_fields(fields: list[str], header: list[str], personal: set[str]) -> str:
    extra = max(0, len(fields) - len(header))
    masks: dict[int, str] = {}
    for position, name in enumerate(header):
        if name in personal:
            for shift in range(extra, -1, -1):
                masks[position + shift] = MASKED if extra else f"<{name} masked>"
    return ",".join(
        masks[i] if i in masks and value else mask_contact_details(value)
        for i, value in enumerate(fields)
    )


def _masked_line(raw: str, personal: set[str]) -> str:
    """A line that could not be split: personal JSON keys' values and contact details."""
    for name in personal:
        key = re.escape(name)
        raw = re.sub(rf'("{key}"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[^,}}\]\s]+)', rf'\1"{MASKED}"', raw)
    return mask_contact_details(raw)


def without_personal_data(
    broken: pl.DataFrame,
    export_format: ExportFormat,
    kind: str,
    frame: pl.DataFrame,
    header: list[str],
    section: Mapping[str, Any],
) -> pl.DataFrame:
    """Quarantine rows of broken lines with their personal data masked.

    Args:
        broken: rows of `ingest.source_text.BROKEN_SCHEMA` (plus the source tags) of
            files sharing `header`.
        export_format: the files' format.
        kind: export kind.
        frame: the files' other rows, in their own columns.
        header: the files' columns.
        section: the kind's exports.yaml section.

    Returns:
        `broken` without `fields`, its `raw_value` masked and cut to RAW_VALUE_CHARS.
    """
    if broken.is_empty():
        return broken.drop("fields")
    personal = personal_source_columns(export_format, kind, frame, header, section)
    raw = [
        (
            _masked_fields(fields, header, personal)
            if fields is not None
            else _masked_line(value, personal)
        )[:RAW_VALUE_CHARS]
        for value, fields in zip(broken["raw_value"], broken["fields"], strict=True)
    ]
    return broken.with_columns(pl.Series("raw_value", raw, pl.String())).drop("fields")
