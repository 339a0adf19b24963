"""Publish the static dashboard site: the HTML pages, one shared plotly.js bundle and the
reorder list as CSV and XLSX, swapped into place as a whole.

The site opens from disk with no network: pages load the plotly.js bundle
(`reports.site.plotly_bundle`) by a relative path, carry their stylesheet and scripts
inline, and reference no URL, font or CDN outside the folder.

A run writes the new site into a hidden sibling folder (`.<site>.incoming-<pid>`), then
swaps it with the live folder in one atomic rename (Linux `renameat2(RENAME_EXCHANGE)`;
elsewhere two renames a few microseconds apart). The run before stays in `<site>.previous`.
A reader never sees a half-written site, and a failed run leaves the live site untouched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from datetime import datetime
from pathlib import Path

import duckdb

from config.private_files import PUBLISHED_DIR_MODE, PUBLISHED_FILE_MODE
from reports.inputs import check_tables
from reports.pages.customers.page import customers
from reports.pages.demand.page import demand
from reports.pages.feedback.page import feedback
from reports.pages.funnel.page import funnel
from reports.pages.overview.page import overview
from reports.pages.quality.page import data_quality
from reports.pages.reorder.page import REORDER_CSV, REORDER_XLSX, reorder
from reports.pages.reorder.queries import reorder_recommendations
from reports.pages.sales.page import sales
from reports.site.currency import set_currency
from reports.site.layout import PLOTLY_JS, STATUS_SLOT
from reports.site.plotly_bundle import BUNDLE
from reports.site.status import status_line
from warehouse.safe_csv import write_safe_csv

PREVIOUS_SUFFIX = ".previous"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def previous_site(out_dir: Path) -> Path:
    """Where the site of the run before is kept: `<site>.previous` beside it."""
    return out_dir.with_name(out_dir.name + PREVIOUS_SUFFIX)


def copy_published_file(source: Path, target: Path) -> None:
    """Copy `source` over `target` by writing a hidden sibling and renaming it into place:
    a reader never sees a half-written `target`, and a copy that fails (a full disk)
    leaves the old `target` as it was and no temporary file behind."""
    incoming = target.with_name(f".{target.name}.incoming-{os.getpid()}")
    try:
        shutil.copyfile(source, incoming)
        os.replace(incoming, target)
    finally:
        incoming.unlink(missing_ok=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing directories atomically; False where the OS cannot."""
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return result == 0


def _swap_into_place(incoming: Path, out_dir: Path) -> None:
    previous = previous_site(out_dir)
    if not out_dir.exists():
        incoming.rename(out_dir)
        return
    if previous.exists():
        shutil.rmtree(previous)
    if _exchange(incoming, out_dir):
        incoming.rename(previous)  # `incoming` now holds the old site
    else:
        out_dir.rename(previous)
        incoming.rename(out_dir)


def _render(con: duckdb.DuckDBPyConnection, title: str, generated_at: datetime) -> dict[str, str]:
    return {
        "index.html": overview(con, title, generated_at),
        "funnel.html": funnel(con, title, generated_at),
        "sales.html": sales(con, title, generated_at),
        "customers.html": customers(con, title, generated_at),
        "feedback.html": feedback(con, title, generated_at),
        "demand.html": demand(con, title, generated_at),
        "reorder.html": reorder(con, title, generated_at),
        "quality.html": data_quality(con, title, generated_at),
    }


def _write_site(
    con: duckdb.DuckDBPyConnection, folder: Path, title: str, generated_at: datetime
) -> list[str]:
    line = status_line(con, generated_at.date())
    names = []
    for name, text in _render(con, title, generated_at).items():
        (folder / name).write_text(text.replace(STATUS_SLOT, line, 1), encoding="utf-8")
        names.append(name)
    recommendations = reorder_recommendations(con)
    write_safe_csv(recommendations, folder / REORDER_CSV)
    # An XLSX cell holds a string as a string (never a formula), so it needs no neutralising.
    recommendations.write_excel(folder / REORDER_XLSX, worksheet="reorder", autofit=True)
    shutil.copyfile(BUNDLE, folder / PLOTLY_JS)
    written = [*names, REORDER_CSV, REORDER_XLSX, PLOTLY_JS]
    # The run writes owner-only (config/private_files.py); the site is published, so a web
    # server's account must be able to read it.
    folder.chmod(PUBLISHED_DIR_MODE)
    for name in written:
        (folder / name).chmod(PUBLISHED_FILE_MODE)
    return written


def publish_site(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path,
    title: str = "orderpulse",
    *,
    generated_at: datetime | None = None,
    currency: str | None = None,
) -> list[Path]:
    """Write the dashboard site from the warehouse and swap it into `out_dir` atomically.

    Reads only the tables of `reports.inputs` (marts, forecasts, inventory and quality;
    never raw or staging), so no customer personal data reaches a page.

    Args:
        con: open connection to the warehouse; only read from.
        out_dir: the site folder; replaced as a whole, its former content kept in
            `<out_dir>.previous` (the one before that is deleted).
        title: site name shown in the nav bar and browser tabs.
        generated_at: publication time shown on the pages (its date is the run date);
            default now, in local time.
        currency: the shop's currency code for money labels, e.g. 'EUR'; None labels
            money "(currency)".

    Returns:
        Paths of the files in `out_dir`: the pages (index.html first), the reorder CSV and
        XLSX, the plotly.js bundle.

    Raises:
        LookupError: when a warehouse table the pages read is missing.
    """
    check_tables(con)
    set_currency(con, currency)
    generated_at = generated_at or datetime.now().astimezone()
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    incoming = out_dir.with_name(f".{out_dir.name}.incoming-{os.getpid()}")
    if incoming.exists():
        shutil.rmtree(incoming)  # left by a run of this process id that died
    incoming.mkdir()
    try:
        names = _write_site(con, incoming, title, generated_at)
        _swap_into_place(incoming, out_dir)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    return [out_dir / name for name in names]
