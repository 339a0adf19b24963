"""Text exports line by line: CSV files polars cannot map one row per line, and JSON Lines.

Each reader returns (rows with `_line`, header, broken rows). Broken rows are quarantine
rows for lines whose structure or bytes are wrong (too many fields, not JSON, not UTF-8, a
last line cut mid-row); every other line is a row.
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
    # The line's CSV fields (null when it could not be split): once the format says which
    # columns hold personal data, ingest.quarantine_privacy masks them by position.
    "fields": pl.List(pl.String()),
}


class ExportFileError(ValueError):
    """A file that is not an export of its kind at all; nothing of it can be loaded."""


BrokenLine = tuple[int, str | None, str, str, list[str] | None]


def broken_rows(rows: list[BrokenLine]) -> pl.DataFrame:
    """Quarantine rows from (line, column or None, raw text, reason, fields or None).

    The raw text is whole: `ingest.quarantine_privacy` masks it, then cuts it to
    RAW_VALUE_CHARS (cut first, a half e-mail address would no longer look like one).
    """
    return pl.DataFrame(rows, schema=BROKEN_SCHEMA, orient="row")


def line_count(data: bytes) -> int:
    return data.count(b"\n") + (0 if not data or data.endswith(b"\n") else 1)


TRUNCATED = "truncated last line (the file ends mid-row): re-export the day"
NOT_UTF8 = (
    "line is not UTF-8 text (the raw value shows the bad bytes as \\xNN); "
    "re-export the file as UTF-8"
)


def is_utf8(text: str) -> bool:
    """False when `text` holds bytes that were not UTF-8 (decoded as surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_bytes(text: str) -> str:
    """Text decoded with surrogate escapes, its bad bytes written as \\xNN."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _text(file: ExportFile, data: bytes, has_header: bool) -> tuple[str, bool]:
    """The file as text, and whether it is all UTF-8.

    Bytes that are not UTF-8 stay in the text as surrogate escapes, so their lines can be
    quarantined with the bytes shown.

    A file is refused as a whole when it is binary, or when its header or more than half of
    its lines are not UTF-8: that is another encoding or not text, and quarantining most of
    it line by line would hide that.
    """
    if data[:4] == b"PAR1":
        raise ExportFileError(
            f"{file.name} is a Parquet file; rename it to {file.path.stem}.parquet"
        )
    if b"\x00" in data[:8192]:
        raise ExportFileError(
            f"{file.name} is binary, not a text export; export it as UTF-8 CSV or JSON Lines"
        )
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError as error:
        first_byte = error.start
    text = data.decode("utf-8", "surrogateescape")
    lines = [line for line in text.split("\n") if line.strip()]
    bad = sum(not is_utf8(line) for line in lines)
    first_line = data.count(b"\n", 0, first_byte) + 1
    if (has_header and first_line == 1) or 2 * bad > len(lines):
        raise ExportFileError(
            f"{file.name}: byte {first_byte} (line {first_line}) is not UTF-8 text, and "
            f"{bad} of its {len(lines)} lines are not; re-export the file as UTF-8"
        )
    return text, False


def _last_line_ends_mid_row(data: bytes, header: bytes) -> bool:
    """Whether the last line may be cut short: no final newline and too few fields.

    Read alone, the last physical line can be the end of a quoted multi-line value; any
    doubt sends the file to the line-by-line reader, which decides on whole records.
    """
    if data.endswith(b"\n") or b"\n" not in data:
        return False
    last = data[data.rfind(b"\n") + 1 :].decode("utf-8", "surrogateescape")
    fields = len(next(csv.reader([header.decode("utf-8", "surrogateescape")]), []))
    try:
        return len(next(csv.reader([last], strict=True), [])) < fields
    except csv.Error:
        return True


def check_csv(file: ExportFile, data: bytes) -> tuple[bytes, bool]:
    """The CSV bytes without a byte-order mark, once they are known to be non-empty text.

    Args:
        file: the export file, for messages.
        data: its bytes.

    Returns:
        (bytes, clean): clean is False when a line is not UTF-8 or the last line may be
        cut short; such a file must be read by `read_csv_line_by_line`.

    Raises:
        ExportFileError: the file is empty, its first line is blank, or it is binary, a
            Parquet file or mostly not UTF-8.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    utf8 = _text(file, data, has_header=True)[1]
    if not data or data.isspace():
        raise ExportFileError(
            f"{file.name} is empty; a CSV export needs its header line even on a day without rows"
        )
    header = data.split(b"\n", 1)[0]
    if not header.strip():
        raise ExportFileError(
            f"{file.name}: line 1 is blank; a CSV export starts with its header line, "
            "so remove the blank line(s) above it"
        )
    return data, utf8 and not _last_line_ends_mid_row(data, header)


def read_csv_line_by_line(
    file: ExportFile, data: bytes
) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """CSV with quoted line breaks, blank lines or too many fields: exact line numbers.

    A line with fewer fields than the header has its trailing fields empty (as polars
    reads it); a line with more is quarantined, since its values cannot be placed.
    """
    text, utf8 = _text(file, data, has_header=True)
    last_line = text.count("\n") + 1
    cut_off = not data.endswith(b"\n")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    broken: list[BrokenLine] = []
    try:
        header = next(reader)
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record:
                continue  # a blank line is not a row
            problem = _record_problem(record, header, utf8)
            if problem is None and cut_off and reader.line_num == last_line:
                problem = _truncated(record, header, text, line)
            if problem is not None:
                fields = [shown_bytes(value) for value in record]
                broken.append((line, problem[0], ",".join(fields), problem[1], fields))
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


def _record_problem(
    record: list[str], header: list[str], utf8: bool
) -> tuple[str | None, str] | None:
    """(column, reason) when a CSV record's structure or bytes keep it from loading."""
    if not utf8:
        for name, value in zip(header + [None] * len(record), record, strict=False):
            if not is_utf8(value):
                return name, NOT_UTF8
    if len(record) > len(header):
        return None, (
            f"line has {len(record)} fields but the header has {len(header)}; "
            f"quote values that contain commas"
        )
    return None


def _truncated(
    record: list[str], header: list[str], text: str, line: int
) -> tuple[None, str] | None:
    """The last record of a file without a final newline, if it was cut mid-row.

    Cut short means fewer fields than the header, or a quoted value left open (which the
    lenient reader closes silently at the end of the file).
    """
    if len(record) < len(header):
        return None, TRUNCATED
    tail = "\n".join(text.split("\n")[line - 1 :])
    try:
        list(csv.reader(io.StringIO(tail, newline=""), strict=True))
    except csv.Error:
        return None, TRUNCATED
    return None


def read_jsonl(file: ExportFile, data: bytes) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """JSON Lines: one object per line, the first line is line 1, blank lines are skipped."""
    text, utf8 = _text(file, data, has_header=False)
    if not text.strip():  # a day without events: JSON Lines has no header to require
        return pl.DataFrame(schema={LINE: pl.Int64()}), [], broken_rows([])
    if not utf8:
        return _read_jsonl_line_by_line(text, data.endswith(b"\n"))
    try:
        frame = pl.read_ndjson(io.BytesIO(data), infer_schema_length=None)
    except pl.exceptions.PolarsError:
        return _read_jsonl_line_by_line(text, data.endswith(b"\n"))
    if line_count(data) == frame.height:
        lines = list(range(1, frame.height + 1))
    else:
        lines = [n for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if len(lines) != frame.height:
            return _read_jsonl_line_by_line(text, data.endswith(b"\n"))
    return frame.with_columns(pl.Series(LINE, lines, pl.Int64())), frame.columns, broken_rows([])


def _json_text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, dict | list) else repr(value)


def _read_jsonl_line_by_line(
    text: str, ends_with_newline: bool
) -> tuple[pl.DataFrame, list[str], pl.DataFrame]:
    """Slow path when a line is not valid JSON or UTF-8: quarantine it, read the others as text."""
    records: list[dict[str, str | None]] = []
    lines: list[int] = []
    broken: list[BrokenLine] = []
    physical = text.split("\n")
    for number, line in enumerate(physical, start=1):
        if not line.strip():
            continue
        if not is_utf8(line):
            broken.append((number, None, shown_bytes(line), NOT_UTF8, None))
            continue
        try:
            record = json.loads(line)  # json allows the "\r" of a CRLF line ending
        except json.JSONDecodeError as error:
            cut = not ends_with_newline and number == len(physical)
            record, problem = (
                None,
                TRUNCATED
                if cut
                else f"line is not valid JSON ({error.msg}); export one JSON object per line",
            )
        else:
            problem = "line is not a JSON object; export one JSON object per line"
        if not isinstance(record, dict):
            broken.append((number, None, line, problem, None))
            continue
        records.append({key: _json_text(value) for key, value in record.items()})
        lines.append(number)
    header = list(dict.fromkeys(key for record in records for key in record))
    frame = pl.DataFrame(
        {name: [record.get(name) for record in records] for name in header},
        schema={name: pl.String() for name in header},
    )
    return frame.with_columns(pl.Series(LINE, lines, pl.Int64())), header, broken_rows(broken)
