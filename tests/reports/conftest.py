"""Fixtures of the report tests: the site published from the tiny warehouse
(tests/reports/tiny_warehouse.py) and one headless Chromium (bench/browser.py, Playwright)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from bench.browser import CHROMIUM, chromium
from reports.site.publish import publish_site
from tests.reports.tiny_warehouse import build_warehouse

# Screenshots and page metrics of the browser tests (gitignored), kept after the run.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
GENERATED_AT = datetime(2011, 1, 15, 6, 30, tzinfo=UTC)


def publish_from(db_path: Path, out_dir: Path) -> list[Path]:
    """Publish from a read-only connection: the publisher must not need to write."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return publish_site(con, out_dir, title="orderpulse test shop", generated_at=GENERATED_AT)
    finally:
        con.close()


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(warehouse file, site folder): the hand-written warehouse and its published site."""
    root = tmp_path_factory.mktemp("site")
    db_path = build_warehouse(root / "warehouse.duckdb")
    publish_from(db_path, root / "site")
    return db_path, root / "site"


@pytest.fixture(scope="session")
def site(tiny_site: tuple[Path, Path]) -> Path:
    return tiny_site[1]


@pytest.fixture(scope="module")
def published(tiny_site: tuple[Path, Path]):
    """(read-only connection to the tiny warehouse, its site): the pages and the marts they
    were published from, for tests that compare one with SQL over the other."""
    db_path, site_dir = tiny_site
    con = duckdb.connect(str(db_path), read_only=True)
    yield con, site_dir
    con.close()


@pytest.fixture
def tiny_warehouse(tmp_path: Path) -> Path:
    """The hand-written warehouse file, for tests that read it without publishing."""
    return build_warehouse(tmp_path / "tiny.duckdb")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session, driven by Playwright (bench/browser.py)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found; install it with `bash scripts/ensure-chromium.sh`")
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/browser/ in the worktree: screenshots and page_metrics.json."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def publisher() -> Callable[..., list[Path]]:
    """`publish_from(db_path, out_dir)`: publish a warehouse file as the `site` fixture does."""
    return publish_from


@pytest.fixture
def publish_warehouse(tmp_path: Path) -> Callable[..., Path]:
    """Build the hand-written warehouse (optionally changed by SQL), publish it, return the site."""

    def publish(*, with_reorders: bool = True, sql: str = "") -> Path:
        db_path = build_warehouse(tmp_path / "warehouse.duckdb", with_reorders=with_reorders)
        if sql:
            con = duckdb.connect(str(db_path))
            con.execute(sql)
            con.close()
        publish_from(db_path, tmp_path / "site")
        return tmp_path / "site"

    return publish
