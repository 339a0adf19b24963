"""Export format adapters: each maps one layout's columns onto the export contract.

A format is one module exposing `FORMAT = ExportFormat(...)`, listed in `FORMATS` below.
Adding a layout (Shopify, GA4, a YAML column mapping, ...) is one new module and one line
here: discovery, casting, quarantine and loading are shared.
"""

from __future__ import annotations

from ingest.formats import (
    ga4,
    generic,
    mapping,
    nps,
    online_retail,
    online_shoppers,
    reviews,
    shopify,
)
from ingest.formats.base import ExportFormat

# Detection tries these in order: specific layouts first, the generic contract last.
FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        online_retail.FORMAT,
        shopify.FORMAT,
        ga4.FORMAT,
        online_shoppers.FORMAT,
        reviews.FORMAT,
        nps.FORMAT,
        mapping.FORMAT,
        generic.FORMAT,
    )
}


def get_format(name: str) -> ExportFormat:
    """The format called `name`; ValueError naming the known formats otherwise."""
    if name not in FORMATS:
        raise ValueError(f"unknown export format {name!r}; known formats: {', '.join(FORMATS)}")
    return FORMATS[name]


def detect_format(kind: str, header: list[str]) -> ExportFormat | None:
    """The first detectable format of `kind` whose columns the header has, else None."""
    for export_format in FORMATS.values():
        if (
            kind in export_format.kinds
            and export_format.detectable
            and not export_format.missing_columns(kind, header, {})
        ):
            return export_format
    return None


__all__ = ["FORMATS", "ExportFormat", "detect_format", "get_format"]
