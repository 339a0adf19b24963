"""Text exports line by line: CSV files polars cannot map one row per line, and JSON Lines.

Each reader returns (rows with `_line`, header, broken rows). Broken rows are quarantine
rows for lines whose structure is wrong; every other line is a row.
"""

from __future__ import annotations

import csv
import io
import json

import polars as pl

from ingest.discover import ExportFile

LINE = "_line"
RAW_VALUE_CHARS = 200  # quarantine keeps a prefix of very long raw values
BROKEN_SCHEMA = {
    "line": pl.Int64(),
    "column_name": pl.String(),
    "raw_value": pl.String(),
    "reason": pl.String(),
}


class ExportFileError(ValueError):
    """A file that is not an export of its kind at all; nothing of it can be loaded."""


def broken_rows(rows: list[tuple[int, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(line, None, raw[:RAW_VALUE_CHARS], reason) for line, raw, reason in rows],
        schema=BROKEN_SCHEMA,
        orient="row",
    )


def line_count(data: bytes) -> int:
    return data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)


def _text(file: ExportFile, data: bytes) -> str:
    if data[:4] == b"PAR1":
        raise ExportFileError(
            f"{file.name} is a Parquet file; rename it to {file.export_date}.parquet"
        )
    if b"\x00" in data[:8192]:
        raise ExportFileError(
            f"{file.name} is binary, not a text export; export it as UTF-8 CSV or JSON Lines"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExportFileError(
            f"{file.name}: byte {error.start} is not UTF-8 text; re-export the file as UTF-8"
        ) from None


def check_csv(file: ExportFile, data: bytes) -> bytes:
    """The CSV bytes without a byte-order mark, once they are known to be non-empty UTF-8 text."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    _text(file, data)
    if not data or data.isspace():
        raise ExportFileError(
            f"{file.name} is empty; a CSV export needs its header line even on a day without rows"
        )
    return data


def read_csv_line_by_line(
    file: ExportFile, data: bytes
) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """CSV with quoted line breaks, blank lines or too many fields: exact line numbers.

    A line with fewer fields than the header has its trailing fields empty (as polars
    reads it); a line with more is quarantined, since its values cannot be placed.
    """
    reader = csv.reader(io.StringIO(_text(file, data), newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    broken: list[tuple[int, str, str]] = []
    try:
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record:
                continue  # a blank line is not a row
            if len(record) > len(header):
                broken.append(
                    (
                        line,
                        ",".join(record),
                        (
                            f"line has {len(record)} fields but the header has {len(header)}; "
                            f"quote values that contain commas"
                        ),
                    )
                )
                continue
            rows.append(record + [""] * (len(header) - len(record)))
            lines.append(line)
    except csv.Error as error:
        raise ExportFileError(
            f"{file.name}, line {reader.line_num}: {error}; export it as plain CSV"
        ) from None
    frame = pl.DataFrame(
        {name: [row[i] or None for row in rows] for i, name in enumerate(header)},
        schema={name: pl.String() for name in header},
    )
    return frame.with_columns(pl.Series(LINE, lines, pl.Int64())), header, broken_rows(broken)


def read_jsonl(file: ExportFile, data: bytes) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """JSON Lines: one object per line, the first line is line 1, blank lines are skipped."""
    text = _text(file, data)
    if not text.strip():  # a day without events: JSON Lines has no header to require
        return pl.DataFrame(schema={LINE: pl.Int64()}), [], broken_rows([])
    try:
        frame = pl.read_ndjson(io.BytesIO(data), infer_schema_length=None)
    except pl.exceptions.PolarsError:
        return _read_jsonl_line_by_line(text)
    if line_count(data) == frame.height:
        lines = list(range(1, frame.height + 1))
    else:
        lines = [n for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if len(lines) != frame.height:
            return _read_jsonl_line_by_line(text)
    return frame.with_columns(pl.Series(LINE, lines, pl.Int64())), frame.columns, broken_rows([])


def _json_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, dict | list) else repr(value)


def _read_jsonl_line_by_line(text: str) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """Slow path when a line is not valid JSON: quarantine that line, read the others as text."""
    records: list[dict[str, str | None]] = []
    lines: list[int] = []
    broken: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)  # json allows the "\r" of a CRLF line ending
        except json.JSONDecodeError as error:
            record, problem = (
                None,
                f"line is not valid JSON ({error.msg}); export one JSON object per line",
            )
        else:
            problem = "line is not a JSON object; export one JSON object per line"
        if not isinstance(record, dict):
            broken.append((number, line, problem))
            continue
        records.append({key: _json_text(value) for key, value in record.items()})
        lines.append(number)
    header = list(dict.fromkeys(key for record in records for key in record))
    frame = pl.DataFrame(
        {name: [record.get(name) for record in records] for name in header},
        schema={name: pl.String() for name in header},
    )
    return frame.with_columns(pl.Series(LINE, lines, pl.Int64())), header, broken_rows(broken)
