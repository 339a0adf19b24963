"""Helpers of the damaged-export tests: a healthy warehouse's files, and loads of one damaged
file that check nothing else in the warehouse changed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from contract.exports import RAW_TABLE
from ingest.load import load_days
from ingest.source import ExportFileError

DAY = dt.date(2024, 1, 5)
ORDERS = "order_id,ordered_at,sku,quantity,unit_price,currency\n"
GOOD_ORDER = "A1,2024-01-05 10:00,S1,2,1.50,GBP\n"
HEALTHY = {
    "orders/2024-01-04.csv": ORDERS + "Z1,2024-01-04 09:00,S1,1,1.50,GBP\n",
    "orders/2024-01-05.csv": ORDERS + GOOD_ORDER + "A2,2024-01-05 11:00,S2,1,3.00,GBP\n",
    "orders/2024-01-06.csv": ORDERS + "Z2,2024-01-06 09:00,S1,0,1.50,GBP\n",
    "traffic/2024-01-05.csv": (
        "event_at,event_name,user_id,event_id\n2024-01-05 09:00:00,page_view,u1,e1\n"
    ),
    "feedback/2024-01-05.jsonl": json.dumps(
        {"feedback_id": "f1", "submitted_at": "2024-01-05 12:00", "feedback_type": "nps"}
    )
    + "\n",
    "inventory/2024-01-05.csv": "snapshot_date,sku,on_hand,location\n2024-01-05,S1,4,\n",
    "catalog/2024-01-05.csv": "sku,unit_cost,lead_time_days\nS1,0.8,14\n",
}
NOT_UTF8 = (
    "line is not UTF-8 text (the raw value shows the bad bytes as \\xNN); "
    "re-export the file as UTF-8"
)
TRUNCATED = "truncated last line (the file ends mid-row): re-export the day"


def write(exports, relative: str, content: str | bytes) -> None:
    path = exports / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)


def warehouse_except(con, kind: str | None = None, day: dt.date | None = None) -> dict:
    """Every raw and quality row (without loaded_at), less the rows of one kind and day."""
    tables = {}
    for table_kind, table in RAW_TABLE.items():
        where = (
            "_export_date is distinct from $day" if table_kind == kind else "$day is null or true"
        )
        tables[f"raw.{table}"] = con.execute(
            f"select * from raw.{table} where {where} order by all", {"day": day}
        ).fetchall()
    for table in ("quality.quarantine", "quality.load_log"):
        tables[table] = con.execute(
            f"select * exclude (loaded_at) from {table} "
            "where not (kind is not distinct from $kind and export_date is not distinct from $day) "
            "order by all",
            {"kind": kind, "day": day},
        ).fetchall()
    return tables


def load_damaged(exports, con, relative: str, content: str | bytes):
    """Load one damaged file's day; only that day of that kind may change.

    Returns:
        (report, the day's quarantine rows as (line, column_name, raw_value, reason)).
    """
    kind = relative.split("/")[0]
    before = warehouse_except(con, kind, DAY)
    write(exports, relative, content)
    report = load_days(con, exports, kind, [DAY])
    assert warehouse_except(con, kind, DAY) == before
    (result,) = report.files
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert con.execute(
        "select rows_read, rows_loaded, rows_quarantined from quality.load_log "
        "where kind = ? and export_date = ?",
        [kind, DAY],
    ).fetchall() == [(result.rows_read, result.rows_loaded, result.rows_quarantined)]
    quarantined = con.execute(
        "select line, column_name, raw_value, reason from quality.quarantine "
        "where kind = ? and export_date = ? order by line",
        [kind, DAY],
    ).fetchall()
    return report, quarantined


def rejected(exports, con, relative: str, content: str | bytes, days=(DAY,)) -> str:
    """Load a file that is not an export: it raises and the warehouse does not change."""
    before = warehouse_except(con)
    write(exports, relative, content)
    with pytest.raises(ExportFileError) as error:
        load_days(con, exports, relative.split("/")[0], list(days))
    assert warehouse_except(con) == before
    return str(error.value)
