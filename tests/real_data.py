"""The real public data sets the tests check published values against, and where each lives.

One module names every data root, so no test spells a path to data of its own:

- `REPO_DATA` (tests/data, shipped with the repository; licences allow copying, see
  tests/data/README.md): the CDNOW cohort (MIT, with the `lifetimes` licence file) and the
  UCI Online Shoppers sessions (CC BY 4.0).
- The UCI Online Retail by-day export files are not copied a second time: the repository
  already embeds every line (simulator/embedded/online_retail.parquet), and the
  `online_retail_by_day` fixture writes the 305 day files from it and checks each one,
  byte for byte, against the SHA-256 of the published file (tests/data/online_retail).
- `SHARED_DATA` (../shared/data beside the checkout, or the folder named by
  ORDERPULSE_SHARED_DATA): data whose licence does not let us copy it (the Women's
  Clothing Reviews). `shared_data()` skips a test when its file is absent, except where the
  data is required: under CI (the `CI` variable set, and not "false" or "0") or with
  ORDERPULSE_REQUIRE_REAL_DATA set. There a missing file fails the test, naming the file
  and where to get it, so a CI machine without the data goes red instead of green with
  skips.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from simulator.online_retail import load_online_retail, write_online_retail_orders

REPO_DATA = Path(__file__).resolve().parent / "data"
SHARED_DATA_ENV = "ORDERPULSE_SHARED_DATA"
SHARED_DATA = Path(
    os.environ.get(SHARED_DATA_ENV) or Path(__file__).resolve().parents[2] / "shared" / "data"
)
ONLINE_RETAIL_DIGESTS = REPO_DATA / "online_retail" / "by-day.sha256"
REQUIRE_ENV = "ORDERPULSE_REQUIRE_REAL_DATA"
# Where each data set read from SHARED_DATA is published (first folder of its path).
SOURCES = {
    "clothing_reviews": "Kaggle, 'Women's E-Commerce Clothing Reviews' "
    "(nicapotato/womens-ecommerce-clothing-reviews), saved as womens_clothing_reviews.csv",
}


def required_by() -> str | None:
    """Why missing real data fails instead of skipping, or None when it may skip."""
    if os.environ.get(REQUIRE_ENV):
        return f"{REQUIRE_ENV} is set"
    if os.environ.get("CI", "").strip().lower() not in ("", "false", "0"):
        return "CI is set"
    return None


def shared_data(relative: str) -> Path:
    """The path of `relative` under SHARED_DATA, or skip (fail when required) without it."""
    path = SHARED_DATA / relative
    if path.exists():
        return path
    source = SOURCES.get(relative.split("/")[0], "see tests/data/README.md")
    message = f"real data missing: {path} (get it from {source}; tests/data/README.md)"
    reason = required_by()
    if reason:
        pytest.fail(f"{message}; {reason}, so this test is required", pytrace=False)
    pytest.skip(message)


def published_digests() -> dict[str, str]:
    """File name -> SHA-256 of each published Online Retail by-day file."""
    lines = ONLINE_RETAIL_DIGESTS.read_text().splitlines()
    return {name: digest for digest, name in (line.split() for line in lines)}


def write_online_retail_by_day(folder: Path) -> Path:
    """Write the 305 published by-day files from the embedded lines; fail if any differs."""
    written = write_online_retail_orders(load_online_retail(), folder)
    actual = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written}
    expected = published_digests()
    differ = sorted(
        name for name in expected.keys() | actual.keys() if actual.get(name) != expected.get(name)
    )
    assert not differ, f"not the published Online Retail files: {differ[:5]}"
    return folder
