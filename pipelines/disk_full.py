"""Saying that a disk is full in one line a person can act on.

A full disk surfaces as different errors depending on who was writing: Python's
`OSError: [Errno 28] No space left on device`, DuckDB's `Could not write file "...": No
space left on device` (a `TransactionException` on commit, a `FatalException` during a
checkpoint), SQLite's `database or disk is full` or, for some writes, only `disk I/O
error` from Dagster's run storage. Each becomes the same line, naming the folder that ran
out of space, how much is free there now and the fix.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

# How each writer words "no space left", as it appears in the error's message.
DISK_FULL_MESSAGES = (
    os.strerror(errno.ENOSPC),  # "No space left on device": Python, DuckDB
    "database or disk is full",  # SQLite (Dagster's run and event storage)
)
# SQLite reports some writes that fail on a full disk (growing its shared-memory index)
# as a bare I/O error: counted as a full disk when little space is left on it.
IO_ERROR_MESSAGES = ("disk I/O error",)
LOW_FREE_MB = 64
# A quoted absolute path in an error message: DuckDB quotes with ", Python with '.
_QUOTED_PATH = re.compile(r"""["'](/[^"']+)["']""")


def exception_messages(error: BaseException) -> list[str]:
    """The messages of `error` and of the exceptions it was raised from or during."""
    messages, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        messages.append(str(error))
        error = error.__cause__ or error.__context__
    return messages


def _existing(path: Path) -> Path:
    """`path`'s nearest existing folder (a failed write removes its temporary folder)."""
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


def full_folder(message: str, data_dir: Path | None) -> Path | None:
    """The folder that ran out of space: the data dir when the message names a file in it
    (or names no file), else the nearest existing folder of the last file it names (the
    target of a copy)."""
    named = [Path(path) for path in _QUOTED_PATH.findall(message)]
    if data_dir is not None and (not named or named[-1].is_relative_to(data_dir)):
        return data_dir
    return _existing(named[-1].parent) if named else None


def free_megabytes(folder: Path) -> float:
    """The free space, in MB, of the disk holding `folder`."""
    return shutil.disk_usage(_existing(folder)).free / 2**20


def _line(message: str, data_dir: Path | None) -> str | None:
    full = any(text in message for text in DISK_FULL_MESSAGES)
    if not full and not any(text in message for text in IO_ERROR_MESSAGES):
        return None
    folder = full_folder(message, data_dir)
    if folder is None:
        return (
            "disk full: no space left on device; free space on the disk of the data dir "
            "or move the data dir (--data-dir, or ORDERPULSE_DATA_DIR for the Dagster service)"
        )
    free = free_megabytes(folder)
    if not full and free >= LOW_FREE_MB:
        return None  # an I/O error with space to spare: not ours to explain
    fix = "free space there"
    if folder == data_dir:
        fix += " or move the data dir (--data-dir, or ORDERPULSE_DATA_DIR for the Dagster service)"
    return f"disk full: {folder} has {free:.1f} MB free; {fix}"


def disk_full_line(messages: Iterable[str], data_dir: Path | None = None) -> str | None:
    """The line for an error that says the disk is full; None for any other error.

    Args:
        messages: the messages of the error and the errors behind it; a file one names
            tells which folder is full.
        data_dir: the run's data directory, when known: the usual place that fills up.
    """
    return next(filter(None, (_line(message, data_dir) for message in messages)), None)
