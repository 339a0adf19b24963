"""The drop folder layout: day files per kind; anything else is an error naming the fix."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from ingest.discover import (
    ExportLayoutError,
    discover_exports,
    export_files,
    fingerprint,
    fingerprints,
)


def touch(folder, relative, text="x\n"):
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_lists_files_per_kind_and_day(exports):
    touch(exports, "orders/2011-03-05.csv")
    touch(exports, "orders/2011-03-04.parquet")
    touch(exports, "traffic/2011-03-04.jsonl")
    touch(exports, "orders/.2011-03-06.csv.part")  # an upload in progress is hidden
    touch(exports, "exports.yaml", "orders: {format: generic}\n")

    files = discover_exports(exports)

    assert [(f.kind, f.export_date, f.name) for f in files] == [
        ("orders", dt.date(2011, 3, 4), "orders/2011-03-04.parquet"),
        ("orders", dt.date(2011, 3, 5), "orders/2011-03-05.csv"),
        ("traffic", dt.date(2011, 3, 4), "traffic/2011-03-04.jsonl"),
    ]
    assert [
        f.name for f in export_files(exports, "orders", [dt.date(2011, 3, 5), dt.date(2011, 3, 9)])
    ] == ["orders/2011-03-05.csv"]
    assert export_files(exports, "catalog") == []


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        (
            "catalog/march-4.csv",
            "catalog/march-4.csv: 'march-4' is not a date, and catalog rows carry no date to "
            "route them by; rename it to the export day as YYYY-MM-DD.csv, e.g. 2011-03-04.csv",
        ),
        ("catalog/20110304.csv", "catalog/20110304.csv: '20110304' is not a date"),
        ("orders/2011-02-30.csv", "orders/2011-02-30.csv: '2011-02-30' is not a date"),
        (
            "orders/2011-03-04.xlsx",
            "orders/2011-03-04.xlsx: unknown extension '.xlsx'; name it YYYY-MM-DD.csv",
        ),
        (
            "order/2011-03-04.csv",
            "order/ is not an export kind; use one of orders, traffic, feedback, inventory, catalog",
        ),
        (
            "orders/old/2011-03-04.csv",
            "orders/old/ is a folder; put the day files directly in orders/",
        ),
        (
            "2011-03-04.csv",
            "2011-03-04.csv is not in a kind folder; move it to <kind>/YYYY-MM-DD.csv",
        ),
    ],
)
def test_a_file_outside_the_layout_is_an_error_naming_it_and_the_fix(exports, relative, message):
    touch(exports, relative)
    with pytest.raises(ExportLayoutError) as error:
        discover_exports(exports)
    assert message in str(error.value)


def test_a_file_not_named_by_a_day_is_a_multi_day_file(exports):
    # Bug caught: a full-history export (orders/history.csv) was refused as misnamed.
    touch(exports, "orders/2011-03-04.csv")
    touch(exports, "orders/history.csv")
    files = export_files(exports, "orders", [dt.date(2011, 3, 9)])
    assert [(f.name, f.export_date, f.is_day_file) for f in files] == [
        ("orders/history.csv", None, False)
    ]


def test_two_files_for_one_day_are_an_error(exports):
    touch(exports, "orders/2011-03-04.csv")
    touch(exports, "orders/2011-03-04.jsonl")
    with pytest.raises(ExportLayoutError, match="both for 2011-03-04; keep one file per day"):
        export_files(exports, "orders")


def test_fingerprint_changes_with_content_and_mtime(exports):
    path = touch(exports, "orders/2011-03-04.csv", "a\n")
    first = fingerprint(path)
    size, mtime, digest = first.split(":")
    assert size == "2" and len(digest) == 64
    assert fingerprint(path, content_hash=False) == f"{size}:{mtime}"
    path.write_text("b\n")
    os.utime(path, ns=(int(mtime), int(mtime)))  # same size and mtime: only the hash tells
    assert fingerprint(path) != first
    assert fingerprints(exports) == {"orders/2011-03-04.csv": fingerprint(path)}


def test_notes_beside_the_kind_folders_are_not_exports(exports):
    touch(exports, "orders/2011-03-04.csv")
    (exports / "ground_truth.json").write_text("{}")
    (exports / "README.md").write_text("our nightly exports")
    names = [f.name for f in discover_exports(exports)]
    assert names == ["orders/2011-03-04.csv"]


def test_hidden_entries_beside_the_kind_folders_are_left_alone(exports):
    """Bug caught: hidden entries at the top of the exports folder taken for exports: a
    version-control folder (.git/) refused as an unknown kind, or a hidden file with an
    export's extension (.orders.csv, an upload in progress) refused as a stray export."""
    touch(exports, "orders/2011-03-04.csv")
    touch(exports, ".git/HEAD")
    touch(exports, ".orders.csv")
    assert [f.name for f in discover_exports(exports)] == ["orders/2011-03-04.csv"]


def test_a_file_outside_the_kind_folders_is_told_to_keep_its_own_extension(exports):
    """Bug caught: the fix for a stray export file naming the extension .csv whatever the
    file is, so a Parquet file is told to become orders/YYYY-MM-DD.csv (a Parquet file
    under a .csv name is then refused as not CSV)."""
    touch(exports, "2011-03-04.parquet")
    with pytest.raises(ExportLayoutError) as error:
        discover_exports(exports)
    assert "move it to <kind>/YYYY-MM-DD.parquet (kinds: orders," in str(error.value)
