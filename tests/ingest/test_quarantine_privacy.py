"""A quarantined line keeps its structure but never the customer's e-mail, name or phone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl

from contract.exports import pii_columns
from contract.personal_data import EMAIL, PHONE, mask_contact_details
from ingest.formats import FORMATS
from ingest.load import load_days
from ingest.quarantine_privacy import personal_source_columns
from tests.ingest.damage import write

DAY = dt.date(2024, 1, 5)
ADDRESS_PARTS = ("Name", "Street", "Address1", "Address2", "City", "Zip", "Phone")
SHOPIFY = Path(__file__).parent / "fixtures" / "shopify" / "orders_export.csv"


def _raw_values(con) -> list[str]:
    rows = con.execute("select raw_value from quality.quarantine order by line").fetchall()
    return [value for (value,) in rows]


def test_line_with_too_many_fields_has_its_personal_columns_masked(exports, con):
    """Bug caught: a line with an unquoted comma was stored whole in
    quality.quarantine.raw_value, the customer's e-mail and name included."""
    write(
        exports,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,unit_price,customer_email,customer_name,country\n"
        "A1,2024-01-05 10:00,S1,2,1.5,ann@shop.example,Ann Smith,GB\n"
        "A2,2024-01-05 10:01,S2,1,1.5,bob@mail.example,Jones, Bob,GB\n",
    )
    load_days(con, exports, "orders", [DAY])
    # One field too many: the name's comma may have shifted every later value by one, so
    # the field after each personal column is masked too; the order's own fields stay.
    assert _raw_values(con) == ["A2,2024-01-05 10:01,S2,1,1.5,<masked>,<masked>,<masked>,GB"]


def test_line_with_too_few_fields_has_its_personal_columns_masked(exports, con):
    """Bug caught: a broken line one field short (here a bad byte in the name; a file cut
    off mid-line is the other way) got no mask at all, the count of extra fields having
    gone below zero, so the customer's name was stored in quality.quarantine.raw_value;
    only the e-mail, which the contact patterns catch anyway, was hidden."""
    header = b"order_id,ordered_at,sku,quantity,unit_price,customer_email,customer_name,note\n"
    good = b"A1,2024-01-05 10:00,S1,2,1.5,ann@shop.example,Ann Smith,gift\n"
    short = b"A2,2024-01-05 10:01,S2,1,1.5,bob@mail.example,Bob Jon\xe9s\n"
    write(exports, "orders/2024-01-05.csv", header + good * 3 + short)
    load_days(con, exports, "orders", [DAY])
    assert _raw_values(con) == [
        "A2,2024-01-05 10:01,S2,1,1.5,<customer_email masked>,<customer_name masked>"
    ]


def test_not_utf8_line_masks_personal_columns_by_name(exports, con):
    """Bug caught: a line quarantined for a bad byte kept the e-mail beside the bad byte."""
    header = b"order_id,ordered_at,sku,quantity,unit_price,customer_email,description\n"
    good = b"A1,2024-01-05 10:00,S1,2,1.5,ann@shop.example,Mug\n"
    write(
        exports,
        "orders/2024-01-05.csv",
        header + good * 3 + b"A2,2024-01-05 10:01,S2,1,1.5,bob@mail.example,Caf\xe9\n",
    )
    load_days(con, exports, "orders", [DAY])
    assert _raw_values(con) == ["A2,2024-01-05 10:01,S2,1,1.5,<customer_email masked>,Caf\\xe9"]


def test_shopify_broken_line_masks_the_columns_its_format_maps_to_personal_data(exports, con):
    """Bug caught: masking by contract column names only missed a shop format's own
    headers (Shopify's Email, Billing Name, Shipping Phone, Billing Zip, ...)."""
    lines = SHOPIFY.read_text().splitlines()
    broken = lines[1].replace("Botanical Fern Print", "Botanical, Fern Print", 1)
    write(exports, "orders/2024-01-05.csv", "\n".join([lines[0], broken, *lines[2:]]) + "\n")
    load_days(con, exports, "orders", [DAY])
    line_2 = con.execute("select raw_value from quality.quarantine where line = 2").fetchone()[0]
    assert "ada@example.com" not in line_2
    assert line_2.startswith("#1001,<masked>,<masked>,2024-01-05 10:11:40 +0100,fulfilled,")

    header = lines[0].split(",")
    frame = pl.read_csv(SHOPIFY, infer_schema=False)
    personal = personal_source_columns(FORMATS["shopify"], "orders", frame, header, {})
    assert personal - set(pii_columns("orders")) == {
        *(f"{side} {part}" for side in ("Billing", "Shipping") for part in ADDRESS_PARTS),
        "Email",
        "Phone",
    }


def test_jsonl_line_that_is_not_json_masks_personal_keys_and_contact_details(exports, con):
    """Bug caught: a JSON line that could not be parsed was stored whole, its
    reviewer's name and e-mail included."""
    good = {
        "feedback_id": "f1",
        "submitted_at": "2024-01-05 12:00",
        "feedback_type": "review",
        "reviewer_name": "Ann Smith",
        "reviewer_email": "ann@shop.example",
    }
    cut = '{"feedback_id": "f2", "reviewer_name": "Bob Jones", "body": "call +44 20 7946 0958"'
    write(exports, "feedback/2024-01-05.jsonl", json.dumps(good) + "\n" + cut + "\n")
    load_days(con, exports, "feedback", [DAY])
    assert _raw_values(con) == [
        '{"feedback_id": "f2", "reviewer_name": "<masked>", "body": "call <phone masked>"'
    ]


def test_jsonl_file_of_broken_lines_only_still_masks_the_contract_personal_keys(exports, con):
    """Bug caught: with no readable line the file had no header, so no key was known to
    be personal and the reviewer's name stayed in the quarantine."""
    cut = '{"feedback_id": "f2", "reviewer_name": "Bob Jones", "rating": 5'
    write(exports, "feedback/2024-01-05.jsonl", cut + "\n")
    load_days(con, exports, "feedback", [DAY])
    assert _raw_values(con) == ['{"feedback_id": "f2", "reviewer_name": "<masked>", "rating": 5']


def test_contact_patterns_skip_run_ids_hashes_and_dates():
    """Bug caught: the phone pattern took the all-digit groups of Dagster run ids and
    uuids for phone numbers (thousands of false hits on a clean data directory)."""
    clean = (
        "run a1b2c3d4-1234-5678-9012-def012345678 step 6da9164d-b509-4d34-aa73-0d1b515058da "
        "key 3f9a12345678901234567890abcdef12 on 2011-12-09 08:26:00, 1234.56 GBP, "
        "orders/2024-01-05.csv:7"
    )
    assert not EMAIL.search(clean) and not PHONE.search(clean)
    assert mask_contact_details("ann@shop.example or (020) 7946 0958, +442079460958") == (
        "<email masked> or <phone masked>, <phone masked>"
    )


def test_clean_lines_are_not_touched(exports, con):
    """Bug caught: masking rewrote the raw value of quarantined lines that hold no
    personal data, losing what the reason quotes."""
    write(
        exports,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,unit_price\nA5,2024-01-05,S5,1,2,extra\n",
    )
    load_days(con, exports, "orders", [DAY])
    assert _raw_values(con) == ["A5,2024-01-05,S5,1,2,extra"]


def test_a_mapped_column_whose_header_says_nothing_is_masked_by_what_it_maps_to(exports, con):
    """Bug caught: personal columns found by their header and the contract's names only,
    not by trying the format: a mapping's `customer_name: Kunde` left the name in a
    broken line's raw value."""
    write(
        exports,
        "my_orders.yaml",
        "columns: {order_id: Ref, ordered_at: Zeit, sku: Artikel, quantity: Menge, "
        "unit_price: Preis, customer_name: Kunde}\n",
    )
    (exports / "exports.yaml").write_text("orders: {mapping: my_orders.yaml}\n")
    write(
        exports,
        "orders/2024-01-05.csv",
        "Ref,Zeit,Artikel,Menge,Preis,Kunde\n"
        "A1,2024-01-05 10:00,S1,2,1.5,Ann Smith\n"
        "A2,2024-01-05 10:01,S2,1,1.5,Ann Smith,extra\n",
    )
    load_days(con, exports, "orders", [DAY])
    assert _raw_values(con) == ["A2,2024-01-05 10:01,S2,1,1.5,<masked>,<masked>"]
