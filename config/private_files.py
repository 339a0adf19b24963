"""Owner-only files: what a run writes holds the shop's customer data, so others cannot read it.

The raw schema of the warehouse keeps the exports as they came, e-mails included, and
DuckDB spills query data to temporary files beside it. A process that runs the pipeline
therefore creates every file owner-only (umask 077: files 0600, folders 0700), and a new
data directory is created 0700. The published site is the exception: `reports.site`
gives its files their usual modes explicitly, so a web server can serve a site folder
placed outside the data directory.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# The published site: readable by everyone (a web server's account), written by the owner.
PUBLISHED_DIR_MODE = 0o755
PUBLISHED_FILE_MODE = 0o644


def create_files_owner_only() -> None:
    """From now on, every file and folder this process creates is owner-only.

    Set once by the processes that run the pipeline (the CLI's runs and the Dagster code
    location); the umask is process-wide, so it also covers the files DuckDB, Dagster and
    the run log create.
    """
    os.umask(OWNER_ONLY_UMASK)


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) with the folder itself owner-only (0700).

    An existing folder keeps its mode: the operator may share it on purpose (an exports
    folder inside it that another account uploads to).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    return path


def make_owner_only(path: Path) -> None:
    """Make an existing file owner-only (0600), e.g. a warehouse an older version left 0644.

    A missing file is left missing, and so is a file of another account (only its owner
    may change its mode; the folder's mode still guards it).
    """
    try:
        if path.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
            path.chmod(PRIVATE_FILE_MODE)
    except (FileNotFoundError, PermissionError):
        pass
