"""Read export files of one kind into canonical rows and quarantine rows.

Every file keeps its own format and line numbers, but files sharing a format and columns
are read, mapped and cast together: that is what loads 300 small daily files in about a
second rather than paying polars' per-call cost 300 times. Columns a file has and its
format does not read are schema drift: kept in `_extra` as JSON and named in the notes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from config.settings import IngestSettings
from contract.exports import raw_schema, required
from ingest.bounds import RowBounds
from ingest.cast import QUARANTINE_SCHEMA, cast_to_contract
from ingest.cast_text import as_text
from ingest.discover import ExportFile
from ingest.file_results import FileResult, file_results, undated_rows_to_first_day
from ingest.formats import FORMATS, ExportFormat, detect_format, get_format
from ingest.formats.base import probe_row
from ingest.quarantine_privacy import without_personal_data
from ingest.source import LINE, ExportFileError, read_sources

Progress = Callable[[int, int], None]


@dataclass
class ExportBatch:
    """Rows of many files of one kind: `rows` in the raw table's schema, `quarantine`."""

    kind: str
    rows: pl.DataFrame
    quarantine: pl.DataFrame
    files: list[FileResult] = field(default_factory=list)


def _group_label(names: list[str]) -> str:
    return (
        names[0]
        if len(names) == 1
        else f"{names[0]} (and {len(names) - 1} more files with these columns)"
    )


def _not_an_export(files: tuple[ExportFile, ...], header: list[str]) -> ExportFileError:
    file = files[0]
    wanted = "; ".join(
        f"{f.name} needs {', '.join(f.missing_columns(file.kind, header, {}))}"
        for f in FORMATS.values()
        if file.kind in f.kinds and f.detectable
    )
    return ExportFileError(
        f"{_group_label([f.name for f in files])} is not an export of {file.kind} "
        f"in a known format (missing columns: {wanted}); "
        f"its header is {', '.join(header[:12]) or '(empty)'}. Fix: use the contract column names "
        f"(contract/exports.py) or name the format in exports.yaml, "
        f"e.g. {file.kind}: {{format: generic}}"
    )


def resolve_format(
    files: tuple[ExportFile, ...], header: list[str], section: Mapping[str, Any] | None
) -> tuple[ExportFormat, bool]:
    """The format of files sharing a header: from exports.yaml, else detected from the header.

    Args:
        files: export files of one kind with this header.
        header: their column names.
        section: its kind's exports.yaml section, or None.

    Returns:
        (format, detected).

    Raises:
        ExportFileError: the file lacks the columns of the named format, or no format fits.
    """
    file = files[0]
    if section is None:
        detected = detect_format(file.kind, header)
        if detected is None:
            raise _not_an_export(files, header)
        return detected, True
    export_format = get_format(section["format"])
    missing = export_format.missing_columns(file.kind, header, section)
    if missing:
        raise ExportFileError(
            f"{_group_label([f.name for f in files])} is not an export of {file.kind} in the "
            f"{export_format.name} format named in "
            f"exports.yaml: missing column(s) {', '.join(missing)}. Fix: export those columns or "
            f"change the format in exports.yaml"
        )
    return export_format, False


SOURCE_TAGS = (LINE, "_file", "_export_date")  # added by the readers, not the file's own
EXTRA = "_extra"
# The file's rows tried beside the probe row when looking for unread columns: enough to
# meet the values a format reads other columns for, few enough to cost little.
UNREAD_SAMPLE_ROWS = 1_000


def _unread_columns(
    export_format: ExportFormat, kind: str, frame: pl.DataFrame, section: Mapping[str, Any]
) -> list[str]:
    """The file's columns that its format does not read (schema drift).

    The format interface does not list the columns a format reads, so they are found by
    trying: a sample is mapped with and without each column, and a column whose absence
    changes nothing is not read. The sample is a row with a value in every column plus the
    file's first rows as they are: a format may read a column only beside certain values of
    another (GA4 reads `ecommerce` for purchases only), which one made-up row can miss.

    Args:
        export_format: the files' format.
        kind: export kind.
        frame: rows in the files' own columns plus `SOURCE_TAGS`.
        section: the kind's exports.yaml section.

    Returns:
        Column names in file order.
    """
    header = [name for name in frame.columns if name not in SOURCE_TAGS]
    sample_columns = [*header, *SOURCE_TAGS]
    sample = pl.concat(
        [probe_row(frame, header), frame.head(UNREAD_SAMPLE_ROWS).select(sample_columns)],
        how="vertical_relaxed",
    )
    mapped = export_format.to_contract(kind, sample, section)
    unread = []
    for name in header:
        try:
            unchanged = export_format.to_contract(kind, sample.drop(name), section).equals(mapped)
        except Exception:  # noqa: BLE001 - a format that fails without the column reads it
            unchanged = False
        if unchanged:
            unread.append(name)
    return unread


def _with_source_tags(mapped: pl.DataFrame, frame: pl.DataFrame, unread: list[str]) -> pl.DataFrame:
    """A format's output with `_file`, `_export_date` and `_extra` of the line it came from.

    A format maps one line to one row, in order, unless it returns `_file` and
    `_export_date` itself: then it may turn one line into several rows (sessions into
    funnel events), each keeping its line's `_line`.
    """
    extra = (
        frame.select(pl.struct(unread).struct.json_encode().alias(EXTRA))[EXTRA]
        if unread
        else pl.lit(None, pl.String()).alias(EXTRA)
    )
    if "_file" not in mapped.columns or "_export_date" not in mapped.columns:
        return mapped.with_columns(frame["_file"], frame["_export_date"], extra)
    if not unread:
        return mapped.with_columns(extra)
    by_line = frame.select("_file", LINE, extra)
    return mapped.join(by_line, on=["_file", LINE], how="left", maintain_order="left")


def _empty_source(kind: str) -> pl.DataFrame:
    """An empty JSON Lines day: no header, so the required columns are assumed present."""
    return pl.DataFrame(
        schema={name: pl.String() for name in required(kind)}
        | {LINE: pl.Int64(), "_file": pl.String(), "_export_date": pl.Date()}
    )


def _same_types(frames: list[pl.DataFrame]) -> list[pl.DataFrame]:
    """`as_text` frames of one format, with a column typed in some and text in others
    (a Parquet file beside a CSV file) made text in all, so they can be cast together."""
    mixed = {
        name
        for name in frames[0].columns
        if len({frame.schema.get(name) for frame in frames} - {None}) > 1
    }
    return [
        frame.with_columns(pl.col(name).cast(pl.String()) for name in mixed if name in frame.schema)
        for frame in frames
    ]


def read_exports(
    files: list[ExportFile],
    kind: str,
    config: Mapping[str, Mapping[str, Any]],
    default_currency: str = IngestSettings().currency,
    accepted_currencies: tuple[str, ...] | None = None,
    progress: Progress | None = None,
    bounds: RowBounds | None = None,
) -> ExportBatch:
    """Read export files of one kind into raw rows and quarantine rows.

    Args:
        files: export files, all of `kind`.
        kind: export kind.
        config: exports.yaml sections by kind (`read_exports_config`).
        default_currency: currency of order rows that name none.
        accepted_currencies: currencies an order row may have; None: any ISO 4217 code.
        progress: called as progress(files_done, files_total) after each file.
        bounds: the plausibility bounds; None: the settings' defaults.

    Returns:
        An ExportBatch: rows in `contract.raw_schema(kind)`, quarantine rows with
        _file, _export_date, line, column_name, raw_value, reason, and per-file counts.

    Raises:
        ExportFileError: a file that is not an export of `kind` (names the file and fix).
    """
    section = config.get(kind)
    for file in files:
        if file.kind != kind:
            raise ValueError(f"{file.name} is a {file.kind} export, not {kind}")
    sources = _read_in_groups(files, kind, section, progress)
    texts, notes, one_row_per_line = _texts_by_format(kind, sources, section)
    rows, quarantine = [pl.DataFrame(schema=raw_schema(kind))], sources.broken
    for name, frames in texts.items():
        loaded, rejected = cast_to_contract(
            kind,
            pl.concat(_same_types(frames)),
            FORMATS[name].datetime_formats,
            default_currency,
            accepted_currencies,
            bounds,
        )
        rows.append(loaded)
        quarantine.append(rejected)
    all_rows = pl.concat(rows, how="diagonal_relaxed").select(list(raw_schema(kind)))
    all_quarantine = pl.concat(
        [q.select(list(QUARANTINE_SCHEMA)).cast(QUARANTINE_SCHEMA) for q in quarantine if q.height]
        or [pl.DataFrame(schema=QUARANTINE_SCHEMA)]
    ).sort("_file", "line")
    all_rows, all_quarantine = undated_rows_to_first_day(kind, files, all_rows, all_quarantine)
    results = file_results(kind, sources.seen, all_rows, all_quarantine, notes, one_row_per_line)
    return ExportBatch(kind, all_rows, all_quarantine, results)


GroupKey = tuple[str, tuple[tuple[str, pl.DataType], ...]]  # format name, columns and types


@dataclass
class _SourceGroups:
    """The files read, grouped by format and columns so each group is mapped in one pass."""

    frames: dict[GroupKey, list[pl.DataFrame]] = field(default_factory=dict)
    file_names: dict[GroupKey, list[str]] = field(default_factory=dict)
    broken: list[pl.DataFrame] = field(default_factory=list)  # lines no reader could split
    # per file: (file, format name, format detected, rows read)
    seen: list[tuple[ExportFile, str, bool, int]] = field(default_factory=list)


def _read_in_groups(
    files: list[ExportFile],
    kind: str,
    section: Mapping[str, Any] | None,
    progress: Progress | None,
) -> _SourceGroups:
    """Read every file and group it with the files of the same format and columns.

    Files of one format with identical columns are mapped and cast in one pass:
    per-file polars calls cost more than the work itself on small daily files.
    """
    groups = _SourceGroups()
    for source in read_sources(files):
        frame = source.frame
        if not source.header and frame.height == 0:
            export_format = get_format(section["format"]) if section else FORMATS["generic"]
            detected, frame = section is None, _empty_source(kind)
        else:
            export_format, detected = resolve_format(source.files, source.header, section)
        key = (export_format.name, tuple(frame.schema.items()))
        groups.frames.setdefault(key, []).append(frame)
        groups.file_names.setdefault(key, []).extend(f.name for f in source.files)
        groups.broken.append(
            without_personal_data(
                source.broken, export_format, kind, frame, source.header, section or {}
            )
        )
        groups.seen += [
            (f, export_format.name, detected, source.rows_read[f.name]) for f in source.files
        ]
        if progress is not None:
            progress(len(groups.seen), len(files))
    return groups


def _texts_by_format(
    kind: str, groups: _SourceGroups, section: Mapping[str, Any] | None
) -> tuple[dict[str, list[pl.DataFrame]], dict[str, list[str]], bool]:
    """Each group mapped to contract columns as text (`as_text`), by format name, the
    notes per file (optional columns left empty, new columns kept in `_extra`), and
    whether every line gave at most one row (see `_with_source_tags`)."""
    texts: dict[str, list[pl.DataFrame]] = {}
    notes: dict[str, list[str]] = {}
    one_row_per_line = True
    for key, frames in groups.frames.items():
        name, frame = key[0], pl.concat(frames)
        mapped = FORMATS[name].to_contract(kind, frame, section or {})
        one_row_per_line &= not {"_file", "_export_date"} <= set(mapped.columns)
        unread = _unread_columns(FORMATS[name], kind, frame, section or {})
        mapped = _with_source_tags(mapped, frame, unread)
        text, group_notes = as_text(kind, mapped, _group_label(groups.file_names[key]))
        for file_name in groups.file_names[key]:
            notes.setdefault(file_name, []).extend(group_notes)
            if unread:
                notes[file_name].append(
                    f"{file_name}: new column(s) {', '.join(unread)} kept in {EXTRA}"
                )
        text = text.with_columns(pl.col("_line").cast(pl.Int64()), pl.lit(name).alias("_format"))
        texts.setdefault(name, []).append(text)
    return texts, notes, one_row_per_line
