"""Read the CDNOW research sample (`CDNOW_sample.txt`) as staging-shaped order lines, so the
tests and the benchmark run the very pipeline the shop's orders go through."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl


def read_cdnow(path: Path) -> pl.DataFrame:
    """CDNOW transactions as order lines (one line per transaction).

    Args:
        path: the whitespace-separated file: master id, sample id, YYYYMMDD, CDs, dollars.

    Returns:
        customer_key (the sample id 1..2357, the ID of the published summaries), order_id (row number), order_date, quantity (CDs),
        order_status ('placed'), line_amount (dollars).
    """
    rows = []
    for number, text in enumerate(Path(path).read_text().splitlines(), start=1):
        fields = text.split()
        if len(fields) != 5:
            raise ValueError(
                f"{path}, line {number}: expected 5 fields (id, sample id, date, CDs, dollars), got {text!r}"
            )
        rows.append(
            (
                str(int(fields[1])),
                str(number),
                datetime.strptime(fields[2], "%Y%m%d").date(),
                int(fields[3]),
                float(fields[4]),
            )
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "customer_key": pl.String,
            "order_id": pl.String,
            "order_date": pl.Date,
            "quantity": pl.Int64,
            "line_amount": pl.Float64,
        },
        orient="row",
    )
    return frame.with_columns(order_status=pl.lit("placed"))
