"""Google Analytics 4's BigQuery export (`events_YYYYMMDD`), one event per row.

Read from JSON Lines (`bq extract --destination_format NEWLINE_DELIMITED_JSON`) or Parquet.
`event_timestamp` is microseconds since the epoch in UTC; the shop's local time is UTC
plus the section's `utc_offset_hours` (exports.yaml, default 0): one fixed offset, so a
shop with daylight saving time sees its summer events shifted by an hour.

GA4 events that are not funnel steps (session_start, first_visit, scroll,
user_engagement, ...) are kept as they are: the contract's event rule quarantines them
with their name, so each file still reconciles (rows read = loaded + quarantined). Only
the first entry of `items` is read: one event stays one row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from ingest.cast_text import calendar_span
from ingest.formats.base import ExportFormat
from ingest.source import LINE

SOURCE_REQUIRED = ("event_name", "event_timestamp", "user_pseudo_id")
CONFIG_KEYS = ("utc_offset_hours",)

# The nested columns read from JSON text (the line-by-line fallback): only the fields used.
# BigQuery writes INT64 values as JSON strings, so integers are read as text here.
_VALUE = pl.Struct({"string_value": pl.String(), "int_value": pl.String()})
NESTED: dict[str, pl.DataType] = {
    "event_params": pl.List(pl.Struct({"key": pl.String(), "value": _VALUE})),
    "items": pl.List(
        pl.Struct({"item_id": pl.String(), "quantity": pl.String(), "price": pl.Float64()})
    ),
    "device": pl.Struct({"category": pl.String()}),
    "geo": pl.Struct({"country": pl.String()}),
    "traffic_source": pl.Struct({"source": pl.String(), "medium": pl.String()}),
    "ecommerce": pl.Struct({"transaction_id": pl.String(), "purchase_revenue": pl.Float64()}),
}


UNREADABLE = "__unreadable"  # per row: the nested columns whose JSON text has another shape


class _Unfit(ValueError):
    """A JSON value whose shape is not the one the nested column reads."""


def _fitted(value: Any, dtype: pl.DataType) -> Any:
    """A decoded JSON value as a value of `dtype`: numbers may stand for text, nothing else
    changes shape; raises _Unfit otherwise."""
    if value is None:
        return None
    if isinstance(dtype, pl.Struct):
        if not isinstance(value, dict):
            raise _Unfit
        return {f.name: _fitted(value.get(f.name), f.dtype) for f in dtype.fields}
    if isinstance(dtype, pl.List):
        if not isinstance(value, list):
            raise _Unfit
        return [_fitted(item, dtype.inner) for item in value]
    if isinstance(value, bool | dict | list):
        raise _Unfit
    if dtype == pl.Float64():
        if not isinstance(value, int | float) or not math.isfinite(float(value)):
            raise _Unfit
        return float(value)
    return value if isinstance(value, str) else json.dumps(value)


def _decoded(frame: pl.DataFrame) -> pl.DataFrame:
    """The nested columns given as JSON text (the line-by-line reader, a CSV) decoded to
    their types, and `UNREADABLE` naming those whose text is not JSON of that shape (a
    text decoder of polars would stop the whole file at the first such value)."""
    unreadable: list[list[str]] = [[] for _ in range(frame.height)]
    decoded = []
    for name, dtype in NESTED.items():
        if frame.schema.get(name) != pl.String():
            continue
        values = []
        for row, text in enumerate(frame[name]):
            try:
                values.append(None if text is None else _fitted(json.loads(text), dtype))
            except (ValueError, RecursionError):  # not JSON, or _Unfit
                values.append(None)
                unreadable[row].append(name)
        decoded.append(pl.Series(name, values, dtype))
    flags = pl.Series(UNREADABLE, [", ".join(names) or None for names in unreadable], pl.String())
    return frame.with_columns(*decoded, flags)


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return [name for name in SOURCE_REQUIRED if name not in header]


def utc_offset_hours(config: Mapping[str, Any]) -> float:
    """The section's `utc_offset_hours`; ValueError naming the key and the fix otherwise."""
    offset = config.get("utc_offset_hours", 0)
    if isinstance(offset, bool) or not isinstance(offset, int | float) or abs(offset) > 14:
        raise ValueError(
            f"exports.yaml, traffic: utc_offset_hours {offset!r} is not an offset in hours; "
            "write the shop's offset from UTC between -14 and 14, e.g. utc_offset_hours: 1"
        )
    return float(offset)


def _nested(frame: pl.DataFrame, name: str) -> tuple[pl.Expr, pl.DataType | None]:
    """A nested column and its type, whether it came typed, as JSON text or not at all."""
    dtype = frame.schema.get(name)
    if dtype is None or dtype == pl.Null() or dtype == pl.String():  # text: see _decoded
        return pl.lit(None), None
    return pl.col(name), dtype


def _fields(dtype: pl.DataType | None) -> set[str]:
    inner = dtype.inner if isinstance(dtype, pl.List) else dtype
    return {f.name for f in inner.fields} if isinstance(inner, pl.Struct) else set()


def _field(struct: pl.Expr, dtype: pl.DataType | None, field: str) -> pl.Expr:
    """One field of a struct (or of a list's first struct) as text; null when absent."""
    if field not in _fields(dtype):
        return pl.lit(None, pl.String())
    return struct.struct.field(field).cast(pl.String())


def _param(frame: pl.DataFrame, key: str, value: str) -> pl.Expr:
    """The `value` (string_value, int_value, ...) of the event parameter `key`, as text."""
    params, dtype = _nested(frame, "event_params")
    if not {"key", "value"} <= _fields(dtype):
        return pl.lit(None, pl.String())
    value_type = next(f.dtype for f in dtype.inner.fields if f.name == "value")
    if value not in _fields(value_type):
        return pl.lit(None, pl.String())
    matching = params.list.eval(
        pl.element().filter(pl.element().struct.field("key") == key).struct.field("value")
    )
    return matching.list.first().struct.field(value).cast(pl.String())


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    frame = _decoded(frame)
    items, items_type = _nested(frame, "items")
    first_item = items.list.first() if items_type is not None else items

    def struct_field(name: str, field: str) -> pl.Expr:
        struct, dtype = _nested(frame, name)
        return _field(struct, dtype, field)

    stamp = pl.col("event_timestamp").cast(pl.Int64(), strict=False)
    # A timestamp beyond years 1 to 9999 is not shifted (that could wrap around): it stays
    # as exported, and casting quarantines it showing that number.
    low, high = calendar_span(pl.Datetime("us"))
    offset = round(utc_offset_hours(config) * 3_600_000_000)
    shift = pl.when(stamp.is_between(low - min(offset, 0), high - max(offset, 0)))
    moment = pl.from_epoch(stamp, "us") + pl.duration(
        microseconds=shift.then(pl.lit(offset)).otherwise(0)
    )
    # An event whose nested fields cannot be read is named by the problem, so the event
    # rule quarantines it with the field named, rather than loading it with them empty.
    event = (
        pl.when(pl.col(UNREADABLE).is_not_null())
        .then(pl.concat_str([pl.lit("unreadable JSON in "), pl.col(UNREADABLE)]))
        .otherwise(pl.col("event_name").cast(pl.String()))
    )
    quantity = _field(first_item, items_type, "quantity")
    price = _field(first_item, items_type, "price").cast(pl.Float64(), strict=False)
    line_value = price * quantity.cast(pl.Float64(), strict=False).fill_null(1.0)
    revenue = struct_field("ecommerce", "purchase_revenue")
    customer = pl.col("user_id").cast(pl.String()) if "user_id" in frame.columns else None
    return frame.select(
        event_at=moment,
        event_name=event,
        user_id=pl.col("user_pseudo_id").cast(pl.String()),
        session_id=_param(frame, "ga_session_id", "int_value"),
        customer_id=customer if customer is not None else pl.lit(None, pl.String()),
        order_id=pl.when(event == "purchase").then(struct_field("ecommerce", "transaction_id")),
        sku=_field(first_item, items_type, "item_id"),
        quantity=quantity,
        value=pl.when(event == "purchase").then(revenue).otherwise(line_value.cast(pl.String())),
        device=struct_field("device", "category"),
        source=struct_field("traffic_source", "source"),
        medium=struct_field("traffic_source", "medium"),
        country=struct_field("geo", "country"),
        page=_param(frame, "page_location", "string_value"),
        **{LINE: pl.col(LINE)},
    )


FORMAT = ExportFormat("ga4", ("traffic",), missing_columns, to_contract, config_keys=CONFIG_KEYS)
