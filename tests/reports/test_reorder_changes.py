"""The reorder-list archive and the change computation, on small hand-made lists."""

import datetime as dt
import re

import polars as pl

from reports.pages.reorder.archive import (
    archive_file,
    archive_list,
    archived_dates,
    previous_list,
    read_archived,
)
from reports.pages.reorder.changes import list_changes

MONDAY, TUESDAY, WEDNESDAY = dt.date(2024, 7, 1), dt.date(2024, 7, 2), dt.date(2024, 7, 3)


def _list(quantities: dict[str, int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "sku": list(quantities),
            "description": [f"{sku} mug" for sku in quantities],
            "order_qty": list(quantities.values()),
            "reason": ["why"] * len(quantities),
        },
        schema_overrides={"order_qty": pl.Int64},
    )


# Yesterday and today, built so that every kind of change occurs once.
YESTERDAY = _list({"SAME": 10, "UP": 5, "DOWN": 30, "GONE": 7})
TODAY = _list({"SAME": 10, "UP": 8, "DOWN": 12, "FRESH": 4})


def _by_sku(changes: pl.DataFrame) -> dict[str, tuple]:
    return {
        row["sku"]: (
            row["change"],
            row["previous_order_qty"],
            row["order_qty"],
            row["order_qty_change"],
        )
        for row in changes.iter_rows(named=True)
    }


def test_every_kind_of_change_with_old_and_new_quantity():
    # Bug caught: a wrong join (inner instead of full, or on the wrong column) loses the new or
    # the dropped SKUs, or mixes up up and down.
    changes = list_changes(TODAY, TUESDAY, (MONDAY, YESTERDAY))
    assert _by_sku(changes) == {
        "FRESH": ("new", None, 4, None),
        "GONE": ("dropped", 7, None, None),
        "UP": ("quantity up", 5, 8, 3),
        "DOWN": ("quantity down", 30, 12, -18),
        "SAME": ("unchanged", 10, 10, 0),
    }
    assert changes["sku"].to_list() == ["FRESH", "GONE", "UP", "DOWN", "SAME"]  # kinds in order
    assert changes["as_of"].unique().to_list() == [TUESDAY]
    assert changes["previous_as_of"].unique().to_list() == [MONDAY]
    assert changes.filter(pl.col("sku") == "GONE")["description"].item() == "GONE mug"


def test_no_previous_list_claims_no_change():
    # Bug caught: the first list ever called every SKU "new", as if an empty list came before.
    changes = list_changes(TODAY, TUESDAY, None)
    assert sorted(changes["sku"]) == ["DOWN", "FRESH", "SAME", "UP"]
    assert changes["change"].null_count() == changes.height
    assert changes["previous_as_of"].null_count() == changes.height


def test_lists_without_quantities_compare_by_membership():
    # Bug caught: a shop without stock counts (order_qty null) saw its SKUs as changed.
    changes = list_changes(_list({"A": None, "B": None}), TUESDAY, (MONDAY, _list({"A": None})))
    assert _by_sku(changes) == {
        "B": ("new", None, None, None),
        "A": ("unchanged", None, None, None),
    }


def test_an_empty_list_after_a_full_one_drops_everything():
    # Bug caught: an empty list today (nothing to order) compared as "no change".
    changes = list_changes(_list({}), TUESDAY, (MONDAY, YESTERDAY))
    assert set(changes["change"]) == {"dropped"} and changes.height == YESTERDAY.height


def test_previous_is_the_latest_list_strictly_before(tmp_path):
    # Bug caught: comparing with the first list ever, with the same day's list (a re-run
    # comparing a list with itself), or with a later day's list (a backfill).
    for day, listed in ((MONDAY, _list({"A": 1})), (TUESDAY, _list({"A": 2}))):
        archive_list(listed, tmp_path, day)
    archive_list(_list({"A": 3}), tmp_path, WEDNESDAY)
    day, listed = previous_list(tmp_path, WEDNESDAY)
    assert day == TUESDAY and listed["order_qty"].to_list() == [2]
    assert previous_list(tmp_path, TUESDAY)[0] == MONDAY  # a backfill of Tuesday
    assert previous_list(tmp_path, MONDAY) is None


def test_a_rerun_of_the_same_day_replaces_its_file(tmp_path):
    # Bug caught: a re-run adding a second file for one day, or leaving the first list.
    archive_list(_list({"A": 1}), tmp_path, MONDAY)
    archive_list(_list({"A": 5, "B": 2}), tmp_path, MONDAY)
    assert [p.name for p in tmp_path.iterdir()] == ["2024-07-01.csv"]
    assert archived_dates(tmp_path) == [MONDAY]
    assert read_archived(archive_file(tmp_path, MONDAY))["order_qty"].to_list() == [5, 2]


def test_an_empty_list_is_archived_and_read_back(tmp_path):
    # Bug caught: a day with nothing to order left no file, so the next day compared with
    # the list before it and called SKUs unchanged that were not on the day before's list.
    empty = pl.DataFrame(schema={"sku": pl.String, "description": pl.String, "order_qty": pl.Int64})
    archive_list(empty, tmp_path, MONDAY)
    day, listed = previous_list(tmp_path, TUESDAY)
    assert (
        day == MONDAY
        and listed.is_empty()
        and listed.columns == ["sku", "description", "order_qty"]
    )


def test_other_files_in_the_folder_are_ignored(tmp_path):
    # Bug caught: a temporary file or a merchandiser's note taken for a list.
    archive_list(_list({"A": 1}), tmp_path, MONDAY)
    (tmp_path / ".2024-07-02.csv.incoming-7").write_text("sku\n")
    (tmp_path / "notes.csv").write_text("sku\n")
    assert archived_dates(tmp_path) == [MONDAY]
    assert archived_dates(tmp_path / "missing") == []


def _changes_table(page: str) -> list[list[str]]:
    table = page[page.index('<table id="changes-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.DOTALL)[1:]  # the header row left out
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL) for row in rows]


def test_the_page_names_both_dates_and_lists_each_change(site):
    # Bugs caught: the section missing, the previous list's date not named, a dropped SKU
    # left out, an unescaped description, or the quantities shown without their change.
    page = (site / "reorder.html").read_text()
    assert "What changed since the previous list" in page
    assert (
        "This list is as of 2011-01-14; the previous list is\nas of 2011-01-13: 1 new, "
        "1 dropped, 1 quantity up, 1 quantity down, 0 unchanged." in page
    )
    assert _changes_table(page) == [
        ["22423", "REGENCY CAKESTAND 3 TIER", "new", "–", "40", "–"],
        ["23166", "MEDIUM CERAMIC &lt;JAR&gt;", "dropped", "12", "–", "–"],
        ["85123A", "WHITE HANGING HEART", "quantity up", "64", "96", "+32"],
        ["84879", "ASSORTED COLOUR BIRD ORNAMENT", "quantity down", "24", "16", "-8"],
    ]


def test_the_page_says_when_there_is_no_earlier_list(publish_warehouse):
    # Bug caught: the first list ever showed an empty change table without a word.
    site = publish_warehouse(
        sql="update inventory.reorder_changes set previous_as_of = null, change = null,"
        " previous_order_qty = null, order_qty_change = null"
    )
    page = (site / "reorder.html").read_text()
    assert "No earlier list to compare with: this list (as of 2011-01-14) is the first" in page
    assert 'id="changes-table"' not in page


def test_the_page_says_when_nothing_changed(publish_warehouse):
    # Bug caught: a day without changes showed an empty table, or no section at all.
    site = publish_warehouse(
        sql="delete from inventory.reorder_changes where change in ('new', 'dropped');"
        " update inventory.reorder_changes set change = 'unchanged', order_qty_change = 0"
    )
    page = (site / "reorder.html").read_text()
    assert (
        "1 new" not in page
        and "0 new, 0 dropped, 0 quantity up, 0 quantity down, 2 unchanged" in page
    )
    assert "No SKU joined or left the list, and no order quantity changed." in page


def test_an_archived_formula_like_sku_is_guarded_on_disk_and_the_same_sku_read_back(tmp_path):
    # Bugs caught: the archive writing `=HYPERLINK(...)` as a live spreadsheet formula, or
    # reading back the guarded `'=...` so that the SKU counts as dropped and new the next day.
    sku = '=HYPERLINK("http://x.invalid","y")'
    archive_list(_list({sku: 3, "-2+3": 1}), tmp_path, MONDAY)
    assert "'=HYPERLINK" in archive_file(tmp_path, MONDAY).read_text()
    listed = _list({sku: 3, "-2+3": 1})
    changes = list_changes(listed, TUESDAY, previous_list(tmp_path, TUESDAY))
    assert set(changes["change"]) == {"unchanged"}
