"""A tiny orders export made of real CDNOW transactions (1997), for runs of the real CLI."""

from forecasting.clv.cdnow import read_cdnow

# Real CDNOW transactions (CDNOW_sample.txt of the `lifetimes` package, MIT licence): master
# id, sample id, YYYYMMDD, CDs, dollars. Four customers on each of the first three days.
CDNOW_LINES = """\
 00004 0001 19970101  2   29.33
 00021 0002 19970101  3   63.34
 00050 0003 19970101  1    6.79
 00071 0004 19970101  1   13.97
 00226 0019 19970102  2   35.93
 00243 0020 19970102  2   17.96
 00256 0021 19970102  1   14.99
 00261 0022 19970102  1    8.77
 00487 0041 19970103  1   11.77
 00530 0042 19970103  1   11.97
 00542 0043 19970103  4   45.67
 00558 0044 19970103  4   49.67
"""


def write_cdnow_exports(tmp_path, with_inventory: bool = False):
    """The CDNOW lines as a generic orders export (one file per day, one SKU: a CD), as
    docs/data-contract.md lays out; with_inventory adds a snapshot of that SKU on the last
    day (a second kind, for tests where one kind fails and the other still loads)."""
    source = tmp_path / "CDNOW_sample.txt"
    source.write_text(CDNOW_LINES)
    lines = read_cdnow(source)
    exports = tmp_path / "exports"
    (exports / "orders").mkdir(parents=True)
    for (day,), rows in lines.partition_by("order_date", as_dict=True).items():
        text = "order_id,ordered_at,sku,quantity,unit_price,customer_id,currency\n" + "".join(
            f"{r['order_id']},{day} 12:00:00,CD,{r['quantity']},"
            f"{r['line_amount'] / r['quantity']:.4f},{r['customer_key']},USD\n"
            for r in rows.iter_rows(named=True)
        )
        (exports / "orders" / f"{day}.csv").write_text(text)
    if not with_inventory:
        return exports
    (exports / "inventory").mkdir()
    (exports / "inventory" / "1997-01-03.csv").write_text(
        "snapshot_date,sku,on_hand\n1997-01-03,CD,40\n"
    )
    return exports
