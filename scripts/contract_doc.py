"""Write docs/data-contract.md from contract/exports.py (the one place for the contract).

    .venv/bin/python scripts/contract_doc.py        # rewrite the doc
tests/test_docs.py fails when the doc and the contract disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from contract.bounds import BOUNDS, NON_PRODUCT_CODES, NON_PRODUCT_PREFIX, PROMISE_DAYS, Bound
from contract.exports import (
    CONTRACT,
    EVENT_NAMES,
    FEEDBACK_TYPES,
    LOAD_COLUMNS,
    RAW_TABLE,
    UNIQUE_KEYS,
)

DOC = ROOT / "docs" / "data-contract.md"

GRAIN = {
    "orders": "one row per order line",
    "traffic": "one row per web-analytics event",
    "feedback": "one row per product review or survey answer",
    "inventory": "one row per SKU (and location) per snapshot day, end-of-day stock",
    "catalog": "one row per SKU; the newest snapshot wins",
    "shipments": "one row per parcel (usually one per order), exported on the day it was delivered",
}

KEYS = (
    "; ".join(f"{kind} `({', '.join(key)})`" for kind, key in UNIQUE_KEYS.items())
    + " (an empty `line_id` or `event_id` means no key; an empty `location` is `main`)"
)

INTRO = f"""# The export data contract

What orderpulse reads: a shop drops its exports into one folder, and every run loads what
is there. This page is generated from `contract/exports.py` by `scripts/contract_doc.py`;
edit the contract, not this page.

## The drop folder

```
exports/
  exports.yaml                 optional: the format of each kind
  orders/2011-03-04.csv        one folder per kind, one file per export day
  traffic/2011-03-04.parquet
  feedback/2011-03-04.jsonl
  inventory/2011-03-04.csv
  catalog/2011-03-04.csv
  shipments/2011-03-04.csv
```

- **Kinds**: {", ".join(f"`{k}`" for k in CONTRACT)}. Any other folder is an error.
- **File names** are the export day, `YYYY-MM-DD`, with the extension `.csv`, `.parquet`
  or `.jsonl` (JSON Lines, one object per line). A file with another name is an error that
  names the file and the fix; hidden files (`.DS_Store`, partial uploads) are ignored.
- **Inside the folder only.** An export file (or kind folder) may be a link, but not one
  leading outside the exports folder: the run fails naming the file; copy or hard-link
  the file in instead. The same holds for `exports.yaml` and mapping files, which must
  also stay under 1 MB and 20 levels of nesting.
- **One file per day per kind.** Exporting the same day again replaces that day: the run
  deletes the day's rows and loads the new file. When the same order appears in two files,
  the newest export day wins for the whole order.
- **Formats.** `exports.yaml` names each kind's format, e.g.

  ```yaml
  orders: {{format: online-retail}}
  traffic: {{format: generic}}
  ```

  `generic` is this contract, in CSV (header row, comma separated, UTF-8), Parquet or
  JSON Lines. `online-retail` is the UCI Online Retail layout (`InvoiceNo, StockCode,
  Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country`; an `InvoiceNo`
  starting with `C` is a cancellation). Without `exports.yaml`, the format is detected from
  the header and the run log says which was detected.
- **Types.** Timestamps are ISO 8601 (`2011-03-04 09:15:00`) in shop local time without a
  zone, or ISO 8601 with a UTC offset as Shopify writes them (`2024-03-05T14:22:01+01:00`,
  `+0100`, `+01`, or `Z` for UTC): with `schedule.timezone` unset (the default) such a
  value keeps the wall-clock time it was written with (the shop's local time, also across
  a daylight-saving change of the offset); with a zone set it is converted to that zone's
  local time, daylight saving included. Both kinds may be mixed in one file. A typed Parquet date-time with a zone keeps its
  wall-clock time. Dates are `YYYY-MM-DD`; decimals use a dot. Text columns may be empty.
- **Bad rows are never silently dropped.** A row with a missing required value, a value
  that does not parse, a value outside its plausibility bound (below), a quantity of
  zero, an unknown event or feedback type, a currency
  that is not an ISO 4217 code (or not in `ingest.accepted_currencies` when that is set), a
  shipment delivered before it shipped or shipped before its order was placed (an order
  already in `raw.orders`; the shipments load runs after the orders load) goes to
  `quality.quarantine` (kind, export day, file, line, column, raw value, reason).
  So does a line that is not UTF-8 (its bytes shown as `\\xNN`), a last line cut mid-row (`truncated last line (the file ends mid-row): re-export the day`) and a row
  repeating the unique key of an earlier row of the same file (`duplicate <key> "<value>"
  also on line <N>; ...`; the first loads; the keys are listed below). For every file,
  rows read = rows loaded + rows quarantined (`quality.load_log`). A file that is not an
  export of its kind (empty, binary, mostly not UTF-8, required columns missing) fails the
  run with the file name and what was expected, and the run loads nothing.
- **New columns are kept.** A column the format does not read is kept in `_extra` (a JSON
  object per row) and named in the run log; a missing required column fails the run.
- **Privacy.** Columns marked PII are hashed into `customer_key` or dropped in staging;
  they never reach marts, dashboards or logs. Only `raw` keeps them as exported: a line
  quarantined whole (too many fields, not JSON) keeps its other fields, its PII columns
  shown as `<customer_email masked>` (`<masked>` where an unquoted comma may have shifted
  them) and anything else that looks like an e-mail or phone as `<email masked>`,
  `<phone masked>`.

Event names: {", ".join(f"`{e}`" for e in EVENT_NAMES)}. Feedback types: {", ".join(f"`{t}`" for t in FEEDBACK_TYPES)}.

Unique keys inside one file: {KEYS}.
"""


# What each measure of contract/bounds.py allows, in the words of the settings.
MEASURES = {
    "day": "on or after `history.first_day`, at most `ingest.max_days_ahead` days after the "
    "row's export day (a file not named by a day: after today)",
    "promise": f"on or after `history.first_day`, at most {PROMISE_DAYS} days after the export day",
    "price": "magnitude at most `ingest.max_unit_price`",
    "amount": "magnitude at most `ingest.max_unit_price` x `ingest.max_units`",
    "units": "magnitude at most `ingest.max_units`",
    "lead_time": "at most `ingest.max_lead_time_days`",
}

BOUNDS_INTRO = f"""
## Plausibility bounds

A value can parse and still be one no shop has: an order placed in 1900, a unit price of
1e308, a quantity of 2^63-1. A row holding one is quarantined with a reason naming the
value, the bound and the setting that moves it (docs/settings.md has the defaults). The
bounds live in `contract/bounds.py`; their defaults keep every sum downstream in range.
A whole number too large even to read (beyond 2^63-1) is quarantined as out of range.

Sign rules of merchandise order lines: returns and cancellations carry negative
quantities; a placed line with a negative quantity and a price above 0 is quarantined (a
refund booked as a sale: export it as `returned` or `cancelled`), while zero-priced
negative placed lines (the Online Retail layout's stock write-offs) load; a negative
`unit_price` is quarantined. Fee and adjustment codes take either sign
({", ".join(f"`{c}`" for c in NON_PRODUCT_CODES)}, and `{NON_PRODUCT_PREFIX}*` vouchers;
case and surrounding spaces ignored), such as the Online Retail shop's `B` "Adjust bad
debt" lines at a negative price. A file not named by a day gives a row dated
outside the bounds no day of its own: it is quarantined on the file's first day.

| kind | column | bound |
|---|---|---|
"""


def _bound_text(bound: Bound) -> str:
    text = (
        f"between {bound.low} and {bound.high}"
        if bound.measure == "scale"
        else MEASURES[bound.measure]
    )
    return text + ("; not negative" if bound.non_negative else "")


def render() -> str:
    parts = [INTRO]
    for kind, columns in CONTRACT.items():
        parts.append(f"\n## `{kind}` -> `raw.{RAW_TABLE[kind]}`\n\nGrain: {GRAIN[kind]}.\n")
        parts.append("| column | type | required | meaning |\n|---|---|---|---|")
        for c in columns:
            meaning = c.meaning + (" **PII.**" if c.pii else "")
            parts.append(
                f"| `{c.name}` | {c.dtype} | {'yes' if c.required else 'no'} | {meaning} |"
            )
    parts.append(BOUNDS_INTRO.rstrip("\n"))
    for kind, bounds in BOUNDS.items():
        for column, bound in bounds.items():
            parts.append(f"| {kind} | `{column}` | {_bound_text(bound)} |")
    parts.append("\n## Load metadata on every raw row\n")
    parts.append("| column | type | meaning |\n|---|---|---|")
    meanings = {
        "_export_date": "the export day from the file name",
        "_file": "the file, relative to the exports folder",
        "_line": "physical line in the file (CSV: the header is line 1)",
        "_format": "the format that read the file",
        "_extra": "JSON object of the file's columns that its format does not read (new columns); null when none",
    }
    for name, dtype in LOAD_COLUMNS.items():
        parts.append(f"| `{name}` | {dtype} | {meanings[name]} |")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    DOC.write_text(render())
    print(f"wrote {DOC}")
