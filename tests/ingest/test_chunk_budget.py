"""Which byte budget a load's chunks get: Parquet's, or about TEXT_CHUNK_ROWS lines of text."""

from __future__ import annotations

from ingest.discover import export_files
from ingest.load import LOAD_CHUNK_BYTES, TEXT_CHUNK_BYTES, TEXT_CHUNK_ROWS, _chunk_budget
from tests.ingest.damage import write


def test_parquet_days_get_the_parquet_budget(exports):
    """Bug caught: a Parquet day among text days read with the text budget, up to four
    times the bytes (and memory) the Parquet budget is sized for."""
    write(exports, "orders/2024-01-05.csv", "order_id\n1\n")
    write(exports, "orders/2024-01-06.parquet", b"not read here")
    assert _chunk_budget(export_files(exports, "orders")) == LOAD_CHUNK_BYTES


def test_text_days_get_the_bytes_of_a_fixed_number_of_lines(exports):
    """Bug caught: one byte budget for every text kind, so a kind of short lines (stock
    rows, ~27 bytes) is read as one chunk of millions of rows, with nothing to read while
    it is written, and the bytes per line inverted or counted per file instead of per
    line. Lines of 10 bytes get 10 bytes per row; lines of 20, twice that."""
    write(exports, "inventory/2024-01-05.csv", "123456789\n" * 50)
    write(exports, "orders/2024-01-05.csv", "1234567890123456789\n" * 50)
    assert _chunk_budget(export_files(exports, "inventory")) == 10 * TEXT_CHUNK_ROWS
    assert _chunk_budget(export_files(exports, "orders")) == 20 * TEXT_CHUNK_ROWS


def test_long_lines_are_capped_and_a_file_without_a_line_end_gets_the_cap(exports):
    """Bug caught: a kind of long lines (reviews with their text) given hundreds of MB per
    chunk, or a division by zero for a file whose start holds no line end."""
    long_line = "x" * (2 * TEXT_CHUNK_BYTES // TEXT_CHUNK_ROWS) + "\n"
    write(exports, "feedback/2024-01-05.csv", long_line * 3)
    write(exports, "catalog/2024-01-05.csv", "sku,unit_cost")
    assert _chunk_budget(export_files(exports, "feedback")) == TEXT_CHUNK_BYTES
    assert _chunk_budget(export_files(exports, "catalog")) == TEXT_CHUNK_BYTES
