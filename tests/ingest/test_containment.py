"""Exports, exports.yaml and mapping files are read only from inside the exports folder,
and YAML inputs only within the size and nesting limits."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ingest.discover import ExportLayoutError, discover_exports
from ingest.exports_config import ExportConfigError, read_exports_config
from ingest.load import load_days

FIXTURES = Path(__file__).parent / "fixtures" / "mapping"
DAY = dt.date(2024, 1, 5)


def _orders_with_mapping(exports: Path, mapping: str) -> None:
    (exports / "orders").mkdir()
    shutil.copy(FIXTURES / "2024-01-05.csv", exports / "orders" / "2024-01-05.csv")
    (exports / "exports.yaml").write_text(f"orders: {{mapping: {mapping}}}\n")


def test_a_mapping_file_outside_the_exports_folder_is_refused(exports, con):
    """Bug caught: `mapping: ../outside_map.yaml` read and used a file outside the
    exports folder (any YAML the pipeline's account can read)."""
    shutil.copy(FIXTURES / "my_orders.yaml", exports.parent / "outside_map.yaml")
    _orders_with_mapping(exports, "../outside_map.yaml")

    with pytest.raises(ExportConfigError) as error:
        load_days(con, exports, "orders", [DAY])

    message = str(error.value)
    assert "mapping file ../outside_map.yaml" in message
    assert f"outside the exports folder {exports.resolve()}" in message
    assert "move it into the exports folder" in message and "{mapping: outside_map.yaml}" in message
    assert con.execute("select count(*) from raw.orders").fetchone() == (0,)


def test_an_absolute_mapping_path_outside_is_refused(exports):
    """Bug caught: an absolute path in `mapping:` skipped the exports folder entirely."""
    outside = exports.parent / "abs_map.yaml"
    shutil.copy(FIXTURES / "my_orders.yaml", outside)
    _orders_with_mapping(exports, str(outside))
    with pytest.raises(ExportConfigError, match="outside the exports folder"):
        read_exports_config(exports)


def test_a_symlinked_mapping_file_leading_outside_is_refused(exports):
    """Bug caught: a link inside the folder passed a name check but read the file it
    points to, outside the folder."""
    shutil.copy(FIXTURES / "my_orders.yaml", exports.parent / "outside_map.yaml")
    (exports / "my_orders.yaml").symlink_to(exports.parent / "outside_map.yaml")
    _orders_with_mapping(exports, "my_orders.yaml")
    with pytest.raises(ExportConfigError, match="my_orders.yaml leads to .*outside_map.yaml"):
        read_exports_config(exports)


def test_a_mapping_file_inside_the_folder_still_loads(exports, con):
    """Bug caught: the containment check refused the documented layout itself."""
    shutil.copy(FIXTURES / "my_orders.yaml", exports / "my_orders.yaml")
    _orders_with_mapping(exports, "my_orders.yaml")
    assert load_days(con, exports, "orders", [DAY]).rows_loaded == 2


def test_a_symlinked_export_file_leading_outside_is_refused(exports, con):
    """Bug caught: orders/2024-01-05.csv as a link to a file elsewhere on the machine was
    loaded (and quoted in quarantine rows, shown on the data-quality page)."""
    secret = exports.parent / "secret.csv"
    secret.write_text("order_id,ordered_at,sku,quantity,unit_price\nS1,2024-01-05,X,1,1\n")
    (exports / "orders").mkdir()
    (exports / "orders" / "2024-01-05.csv").symlink_to(secret)

    for attempt in (lambda: discover_exports(exports), lambda: load_days(con, exports, "orders")):
        with pytest.raises(ExportLayoutError) as error:
            attempt()
        assert str(error.value).startswith(
            f"export file orders/2024-01-05.csv leads to {secret.resolve()}, outside the "
            f"exports folder {exports.resolve()}; copy the file into orders/"
        )


def test_a_symlinked_kind_folder_leading_outside_is_refused(exports):
    """Bug caught: a kind folder linked to another folder (another shop's exports) had
    its files loaded."""
    elsewhere = exports.parent / "other_shop_orders"
    elsewhere.mkdir()
    (elsewhere / "2024-01-05.csv").write_text("order_id,ordered_at,sku,quantity,unit_price\n")
    (exports / "orders").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ExportLayoutError, match="outside the exports folder"):
        discover_exports(exports)


def test_an_exports_folder_that_is_itself_a_link_is_fine(tmp_path):
    """Bug caught: resolving only the files (not the folder) refused every file of an
    exports folder reached through a link, a common mount layout."""
    real = tmp_path / "real_exports"
    (real / "orders").mkdir(parents=True)
    (real / "orders" / "2024-01-05.csv").write_text("order_id,ordered_at,sku,quantity,unit_price\n")
    (tmp_path / "exports_link").symlink_to(real, target_is_directory=True)
    assert [f.name for f in discover_exports(tmp_path / "exports_link")] == [
        "orders/2024-01-05.csv"
    ]


def test_an_oversized_or_deep_mapping_file_is_refused(exports):
    """Bug caught: a mapping file of any size or depth was parsed whole (memory and
    recursion exhaustion before any check)."""
    _orders_with_mapping(exports, "my_orders.yaml")
    mapping = exports / "my_orders.yaml"
    mapping.write_text("columns:\n  order_id: " + "x" * 1_000_001 + "\n")
    with pytest.raises(ExportConfigError, match=r"my_orders.yaml is larger than 1,000,000 bytes"):
        read_exports_config(exports)
    mapping.write_text("columns: " + "[" * 30 + "]" * 30 + "\n")
    with pytest.raises(ExportConfigError, match=r"my_orders.yaml nests .* more than 20 levels"):
        read_exports_config(exports)


def test_exports_yaml_and_its_mapping_in_a_linked_exports_folder_are_read(tmp_path):
    """Bug caught: the exports folder not resolved before the containment check of
    exports.yaml and its mapping files, so in a folder reached through a link (a common
    mount layout) every one of them "leads outside the exports folder" and is refused."""
    real = tmp_path / "real_exports"
    real.mkdir()
    _orders_with_mapping(real, "my_orders.yaml")
    shutil.copy(FIXTURES / "my_orders.yaml", real / "my_orders.yaml")
    (tmp_path / "exports_link").symlink_to(real, target_is_directory=True)
    config = read_exports_config(tmp_path / "exports_link")
    assert config["orders"]["format"] == "mapping"
