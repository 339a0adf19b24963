"""Read export files as they are: their header, their rows and each row's physical line.

CSV is read as text (no type guessing); Parquet and JSON Lines keep their own types, which
the format adapters map and `ingest.cast` turns into contract types. Rows the file's
structure breaks (a CSV line with too many fields, a JSON line that is not an object)
come back as `broken` quarantine rows so no line is ever silently lost; so do lines that are
not UTF-8 and a last line cut mid-row.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.discover import ExportFile
from ingest.source_text import (
    BROKEN_SCHEMA,
    LINE,
    RAW_VALUE_CHARS,
    ExportFileError,
    check_csv,
    line_count,
    read_csv_line_by_line,
    read_jsonl,
)

__all__ = ["LINE", "RAW_VALUE_CHARS", "ExportFileError", "SourceFrame", "read_sources"]


@dataclass(frozen=True)
class SourceFrame:
    """Rows of one or more files with the same columns, in the files' own columns.

    `frame` adds `_line` (1-based physical line), `_file` and `_export_date`; `broken`
    holds quarantine rows (_file, _export_date, line, column_name, raw_value, reason).
    """

    files: tuple[ExportFile, ...]
    header: list[str]
    frame: pl.DataFrame
    broken: pl.DataFrame
    rows_read: dict[str, int]  # data rows per file name, broken ones included


# No broken line, as a SourceFrame's `broken`: one frame shared by every clean file, since
# building and tagging an empty frame per file costs more than reading a small Parquet day.
NO_BROKEN_LINES = pl.DataFrame(
    schema={**BROKEN_SCHEMA, "_file": pl.String(), "_export_date": pl.Date()}
)


def _tagged(
    file: ExportFile, frame: pl.DataFrame, header: list[str], broken: pl.DataFrame
) -> SourceFrame:
    def tag(rows: pl.DataFrame) -> pl.DataFrame:
        return rows.with_columns(
            pl.lit(file.name).alias("_file"),
            pl.lit(file.export_date, pl.Date()).alias("_export_date"),
        )

    tagged_broken = tag(broken) if broken.height else NO_BROKEN_LINES
    return SourceFrame(
        (file,), header, tag(frame), tagged_broken, {file.name: frame.height + broken.height}
    )


def _source_tags(
    files: tuple[ExportFile, ...], rows_per_file: list[int], first_line: int
) -> list[pl.Series]:
    """`_line`, `_file` and `_export_date` of the rows of `files` read as one frame, in
    file order: each file's rows numbered from `first_line`."""
    counts = np.array(rows_per_file, dtype=np.int64)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    which = np.repeat(np.arange(len(files)), counts)
    return [
        pl.Series(LINE, np.arange(counts.sum()) - starts + first_line, pl.Int64()),
        pl.Series("_file", [f.name for f in files], pl.String()).gather(which),
        pl.Series("_export_date", [f.export_date for f in files], pl.Date()).gather(which),
    ]


def _read_csv_together(items: list[tuple[ExportFile, bytes]]) -> SourceFrame | None:
    """Read CSV files sharing a header in one polars call; None if one needs the slow path.

    Valid when every line is one row: no quoted line breaks, no blank lines (polars reads
    one as an all-null row) and no line with too many fields (polars refuses those). Rows
    only ever merge, never split, so equal totals mean every file kept one row per line.
    """
    header_end = items[0][1].find(b"\n")
    parts = [items[0][1][: header_end + 1] if header_end >= 0 else items[0][1] + b"\n"]
    rows_per_file = []
    for _, data in items:
        body = data[data.find(b"\n") + 1 :] if data.find(b"\n") >= 0 else b""
        parts.append(body if not body or body.endswith(b"\n") else body + b"\n")
        rows_per_file.append(line_count(data) - 1)
    try:
        frame = pl.read_csv(io.BytesIO(b"".join(parts)), infer_schema=False)
    except pl.exceptions.PolarsError:
        return None
    if frame.height != sum(rows_per_file):
        return None
    if frame.height and frame.select(pl.all_horizontal(pl.all().is_null()).any()).item():
        return None
    files = tuple(file for file, _ in items)
    frame = frame.with_columns(_source_tags(files, rows_per_file, first_line=2))
    return SourceFrame(
        files,
        frame.columns[:-3],
        frame,
        NO_BROKEN_LINES,
        {f.name: n for f, n in zip(files, rows_per_file, strict=True)},
    )


def _read_parquet(file: ExportFile, data: bytes) -> SourceFrame:
    """Parquet keeps its types; row i (0-based) is line i + 1."""
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except pl.exceptions.PolarsError as error:
        raise ExportFileError(
            f"{file.name} is not a readable Parquet file ({error}); re-export it"
        ) from None
    lines = pl.int_range(1, frame.height + 1, dtype=pl.Int64, eager=True)
    return _tagged(file, frame.with_columns(lines.alias(LINE)), frame.columns, NO_BROKEN_LINES)


def _parquet_layout(file: ExportFile) -> tuple[tuple[tuple[str, str], ...], int] | None:
    """A Parquet file's columns (name and type) and row count, from its footer; None when it
    has no readable footer (then it is read alone, which names what is wrong)."""
    try:
        metadata = pq.read_metadata(file.path)
    except (pa.ArrowException, OSError):
        return None
    columns = tuple((f.name, str(f.type)) for f in metadata.schema.to_arrow_schema())
    return columns, metadata.num_rows


def _read_parquet_together(items: list[tuple[ExportFile, int]]) -> SourceFrame | None:
    """Read Parquet files with the same columns in one polars call; None if that fails.

    One call instead of one per file costs a quarter less for a few months of small
    daily files; row i (0-based) of each file is still its line i + 1.
    """
    files = tuple(file for file, _ in items)
    rows_per_file = [rows for _, rows in items]
    try:
        frame = pl.read_parquet([file.path for file in files], hive_partitioning=False, glob=False)
    except pl.exceptions.PolarsError:
        return None
    if frame.height != sum(rows_per_file):
        return None
    header = frame.columns
    frame = frame.with_columns(_source_tags(files, rows_per_file, first_line=1))
    rows_read = {f.name: n for f, n in zip(files, rows_per_file, strict=True)}
    return SourceFrame(files, header, frame, NO_BROKEN_LINES, rows_read)


def _read_parquet_files(files: list[ExportFile]) -> list[SourceFrame]:
    """Parquet files, those with the same columns read together; a file that cannot be
    (no readable footer, or the read together fails) is read alone."""
    groups: dict[tuple[tuple[str, str], ...], list[tuple[ExportFile, int]]] = {}
    alone: list[ExportFile] = []
    for file in files:
        layout = _parquet_layout(file)
        if layout is None:
            alone.append(file)
        else:
            groups.setdefault(layout[0], []).append((file, layout[1]))
    sources = []
    for items in groups.values():
        together = _read_parquet_together(items) if len(items) > 1 else None
        if together is not None:
            sources.append(together)
        else:
            alone += [file for file, _ in items]
    return sources + [_read_parquet(file, file.path.read_bytes()) for file in alone]


def read_sources(files: list[ExportFile]) -> list[SourceFrame]:
    """Read export files by extension; CSV files sharing a header line, and Parquet files
    sharing their columns, are read together.

    Args:
        files: export files (any kinds; callers pass one kind).

    Returns:
        SourceFrames covering every file exactly once, in first-file order.

    Raises:
        ExportFileError: a file is empty, binary, mostly not UTF-8 or not valid Parquet.
    """
    csv_groups: dict[bytes, list[tuple[ExportFile, bytes]]] = {}
    sources = _read_parquet_files([file for file in files if file.extension == "parquet"])
    for file in files:
        if file.extension == "parquet":
            continue
        data = file.path.read_bytes()
        if file.extension == "jsonl":
            sources.append(_tagged(file, *read_jsonl(file, data)))
        else:
            data, clean = check_csv(file, data)
            if clean:
                csv_groups.setdefault(data.split(b"\n", 1)[0], []).append((file, data))
            else:  # a line that is not UTF-8 or a cut-off last line: exact line by line
                sources.append(_tagged(file, *read_csv_line_by_line(file, data)))
    for items in csv_groups.values():
        together = _read_csv_together(items)
        if together is not None:
            sources.append(together)
            continue
        for file, data in items:
            alone = _read_csv_together([(file, data)]) if len(items) > 1 else None
            sources.append(alone or _tagged(file, *read_csv_line_by_line(file, data)))
    order = {file.name: i for i, file in enumerate(files)}
    return sorted(sources, key=lambda source: order[source.files[0].name])
