"""Which SKU codes count as merchandise when the catalog does not say (`is_product_code` in
assets/sql/macros.sql): the Online Retail shop's postage, fee and voucher codes do not."""

from __future__ import annotations

import duckdb
import pytest

from assets.warehouse import SQL_DIR

CODES = {
    "85123A": True,  # a product: five digits and a letter
    "22423": True,
    "POST": False,  # postage
    " post ": False,  # written in lower case with spaces around it
    "BANK CHARGES": False,
    "gift_0001_20": False,  # a gift voucher, as the real export writes them
    "GIFT_0001_10": False,
    "giftbox": True,  # a product whose name starts with "gift": no underscore
    "gift-0001": True,  # the underscore is literal, not LIKE's any-character
}


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute((SQL_DIR / "macros.sql").read_text())
    yield con
    con.close()


@pytest.mark.parametrize(("sku", "is_product"), CODES.items())
def test_vouchers_fees_and_postage_are_not_merchandise(con, sku, is_product):
    """Bugs caught: gift vouchers counted as merchandise (the voucher rule dropped, or
    matched case-sensitively), so a voucher sale inflated units and a SKU's demand; `_`
    left as LIKE's wildcard, so "gift-0001" was taken for a voucher; codes compared without
    trimming or upper-casing."""
    assert con.execute("select is_product_code(?)", [sku]).fetchone()[0] is is_product
