"""Which byte budget a load's chunks get: Parquet's, or four times that for text files."""

from __future__ import annotations

from ingest.discover import export_files
from ingest.load import LOAD_CHUNK_BYTES, TEXT_CHUNK_BYTES, _chunk_budget
from tests.ingest.damage import write


def test_text_days_get_four_times_the_bytes_of_parquet_days(exports):
    """Bug caught: the budgets swapped, so Parquet days (about 4x the rows per byte of
    CSV) are read 64 MB at a time, four times the memory the Parquet budget is sized
    for, while CSV days commit in chunks a quarter as large. One CSV day alone gets the
    text budget; with a Parquet day among them the Parquet one."""
    write(exports, "orders/2024-01-05.csv", "order_id\n1\n")
    write(exports, "orders/2024-01-06.parquet", b"not read here")
    csv_only = [f for f in export_files(exports, "orders") if f.extension == "csv"]
    assert _chunk_budget(csv_only) == TEXT_CHUNK_BYTES
    assert _chunk_budget(export_files(exports, "orders")) == LOAD_CHUNK_BYTES
