"""Find the export files in the drop folder: one subfolder per kind, day files and multi-day files.

Layout (the interface between a shop and the pipeline):

    exports/
      exports.yaml             optional: the format of each kind
      orders/2011-03-04.csv    a day file: the day in the name is the export date
      orders/full-history.csv  a multi-day file: each row's own date decides its day
      traffic/2011-03-04.parquet
      feedback/2011-03-04.jsonl

A file of a kind whose rows carry a date (`contract.ROW_DAY`) may have any name; one named
YYYY-MM-DD is a day file, any other is a multi-day file (a full-history export, a monthly
dump) whose days are known only once it is read (ingest/multi_day.py). Anything else in the
folder is an error naming the file and the fix, so a misplaced file is never silently
skipped. Hidden files (``.DS_Store``, ``.part`` uploads) are ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from contract.exports import KINDS, ROW_DAY

EXTENSIONS: tuple[str, ...] = ("csv", "parquet", "jsonl")
CONFIG_FILE = "exports.yaml"


class ExportLayoutError(ValueError):
    """A file or folder in the exports folder that does not follow the layout."""


@dataclass(frozen=True)
class ExportFile:
    """One export file: a kind, its export date (None for a multi-day file) and a path."""

    kind: str
    export_date: dt.date | None
    path: Path
    name: str  # relative to the exports folder, e.g. "orders/2011-03-04.csv"

    @property
    def extension(self) -> str:
        return self.path.suffix.lstrip(".").lower()

    @property
    def is_day_file(self) -> bool:
        return self.export_date is not None


def inside_exports(
    exports_dir: str | Path, path: Path, what: str, fix: str, root_resolved: bool = False
) -> Path:
    """`path` with its links followed, when that stays inside the exports folder.

    A file in the exports folder may be a link, but it must not lead outside: whoever can
    drop files there must not make the pipeline read (and load into the warehouse, or
    quote in an error) a file elsewhere on the machine.

    Args:
        exports_dir: the exports folder.
        path: a file in it, or named by a file in it.
        what: how the error names the file, e.g. "export file orders/2011-03-04.csv".
        fix: what to do instead, for the error.
        root_resolved: `exports_dir` is already resolved (a caller checking many files
            resolves the folder once: resolving costs a system call per path component).

    Returns:
        The resolved path.

    Raises:
        ExportLayoutError: the resolved path is outside the (resolved) exports folder.
    """
    root = Path(exports_dir) if root_resolved else Path(exports_dir).resolve()
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise ExportLayoutError(
            f"{what} leads to {resolved}, outside the exports folder {root}; {fix}"
        )
    return resolved


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".")


def _day_from_name(path: Path, relative: str, kind: str) -> dt.date | None:
    """The export day a file's name gives, or None for a multi-day file."""
    extension = path.suffix.lstrip(".").lower()
    if extension not in EXTENSIONS:
        raise ExportLayoutError(
            f"export file {relative}: unknown extension {path.suffix or '(none)'!r}; "
            f"name it YYYY-MM-DD.csv, YYYY-MM-DD.parquet or YYYY-MM-DD.jsonl"
        )
    try:
        # fromisoformat also takes 20110304 and 2011-W09-5; only YYYY-MM-DD is a day name
        day = dt.date.fromisoformat(path.stem) if len(path.stem) == 10 else None
    except ValueError:
        day = None
    looks_like_a_day = re.fullmatch(r"\d{4}-\d{2}-\d{2}", path.stem) is not None
    if day is None and (looks_like_a_day or kind not in ROW_DAY):
        why = (
            "is not a date"
            if looks_like_a_day
            else f"is not a date, and {kind} rows carry no date to route them by"
        )
        raise ExportLayoutError(
            f"export file {relative}: {path.stem!r} {why}; rename it to the export day "
            f"as YYYY-MM-DD.{extension}, e.g. 2011-03-04.{extension}"
        )
    return day


def export_files(
    exports_dir: str | Path, kind: str, days: list[dt.date] | None = None
) -> list[ExportFile]:
    """List the export files of one kind: day files sorted by day, then multi-day files by name.

    Args:
        exports_dir: the exports folder (holding one subfolder per kind).
        kind: one of `contract.KINDS`.
        days: only the day files of these days (multi-day files are always listed: their
            days are known once read); None lists every file.

    Returns:
        The ExportFiles found; a kind without a folder has no files.

    Raises:
        ExportLayoutError: an extension other than csv, parquet or jsonl, a name that looks
            like a day but is none (2011-02-30), a catalog file not named by its day, a
            subfolder inside the kind folder, two files for the same day, or a file that
            is a link leading outside the exports folder.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}; known kinds: {', '.join(KINDS)}")
    root = Path(exports_dir)
    if not root.is_dir():
        raise ExportLayoutError(f"exports folder {root} does not exist; create it or fix the path")
    folder = root / kind
    if not folder.is_dir():
        return []
    wanted = None if days is None else set(days)
    resolved_root = root.resolve()
    by_day: dict[dt.date, ExportFile] = {}
    multi_day: list[ExportFile] = []
    for path in sorted(folder.iterdir()):
        if _is_hidden(path):
            continue
        relative = f"{kind}/{path.name}"
        inside_exports(
            resolved_root,
            path,
            f"export file {relative}",
            f"copy the file into {kind}/ instead of linking to it",
            root_resolved=True,
        )
        if path.is_dir():
            raise ExportLayoutError(
                f"exports folder: {relative}/ is a folder; put the day files directly in {kind}/"
            )
        day = _day_from_name(path, relative, kind)
        if day is None:
            multi_day.append(ExportFile(kind, None, path, relative))
            continue
        if day in by_day:
            raise ExportLayoutError(
                f"export files {by_day[day].name} and {relative} are both for {day}; "
                f"keep one file per day"
            )
        by_day[day] = ExportFile(kind, day, path, relative)
    return [by_day[day] for day in sorted(by_day) if wanted is None or day in wanted] + multi_day


def discover_exports(exports_dir: str | Path) -> list[ExportFile]:
    """List every export file of every kind, and check the whole folder's layout.

    Args:
        exports_dir: the exports folder.

    Returns:
        Export files sorted by kind (contract order), then day.

    Raises:
        ExportLayoutError: a subfolder that is not a kind, an export file (.csv,
            .parquet, .jsonl) beside the kind folders, or any file `export_files` rejects.
            Other files beside the kind folders (a README, the simulator's
            ground_truth.json) are not exports and are left alone.
    """
    root = Path(exports_dir)
    if not root.is_dir():
        raise ExportLayoutError(f"exports folder {root} does not exist; create it or fix the path")
    for path in sorted(root.iterdir()):
        if _is_hidden(path) or path.name == CONFIG_FILE or path.name in KINDS:
            continue
        if path.is_dir():
            raise ExportLayoutError(
                f"exports folder: {path.name}/ is not an export kind; "
                f"use one of {', '.join(KINDS)} (or move it out of {root})"
            )
        if path.suffix.lstrip(".").lower() not in EXTENSIONS:
            continue
        raise ExportLayoutError(
            f"exports folder: {path.name} is not in a kind folder; "
            f"move it to <kind>/YYYY-MM-DD.{path.suffix.lstrip('.') or 'csv'} "
            f"(kinds: {', '.join(KINDS)})"
        )
    return [file for kind in KINDS for file in export_files(root, kind)]


def fingerprint(path: str | Path, content_hash: bool = True) -> str:
    """Identify one version of a file, so a sensor can tell a new or changed export.

    Args:
        path: the file.
        content_hash: also hash the content (sha256); without it size and mtime only,
            which misses a rewrite within the file system's time resolution.

    Returns:
        "size:mtime_ns[:sha256]".
    """
    stat = Path(path).stat()
    parts = [str(stat.st_size), str(stat.st_mtime_ns)]
    if content_hash:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        parts.append(digest.hexdigest())
    return ":".join(parts)


def fingerprints(exports_dir: str | Path, content_hash: bool = True) -> dict[str, str]:
    """Fingerprint every export file: {relative name: fingerprint}, for a sensor cursor.

    Args:
        exports_dir: the exports folder.
        content_hash: see `fingerprint`.

    Returns:
        Mapping of "kind/YYYY-MM-DD.ext" to its fingerprint.
    """
    return {f.name: fingerprint(f.path, content_hash) for f in discover_exports(exports_dir)}
