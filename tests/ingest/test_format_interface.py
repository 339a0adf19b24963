"""What every format gets from the shared interface: detection by header by default, and
missing columns named by their preferred spelling."""

from __future__ import annotations

import pytest

from ingest.formats import FORMATS, detect_format
from ingest.formats.base import ExportFormat
from ingest.formats.generic import FORMAT as GENERIC
from ingest.load import load_days
from ingest.source import ExportFileError
from tests.ingest.damage import write


def test_a_format_that_does_not_say_detectable_is_detected_by_its_header(monkeypatch):
    """Bug caught: `detectable` defaulting to False: every format module but mapping leaves
    it out, so no export would be recognised from its header any more."""
    shop_format = ExportFormat(
        "shop-x", ("orders",), lambda kind, header, config: [] if "Ref" in header else ["Ref"],
        GENERIC.to_contract,
    )  # fmt: skip
    monkeypatch.setattr("ingest.formats.FORMATS", {"shop-x": shop_format, **FORMATS})

    assert detect_format("orders", ["Ref", "When"]) is shop_format
    assert detect_format("orders", ["When"]) is not shop_format


def test_a_file_in_no_known_format_is_told_each_formats_preferred_column_names(exports, con):
    """Bug caught: the message naming a missing column by its last alias ("product_id",
    "date") instead of the name the format prefers ("Clothing ID", "submitted_at")."""
    write(exports, "feedback/2024-01-05.csv", "when,what\n2024-01-05,x\n")

    with pytest.raises(ExportFileError) as error:
        load_days(con, exports, "feedback")

    assert "reviews needs Clothing ID, Rating, Review Text" in str(error.value)
    assert "nps needs response_id, submitted_at, score" in str(error.value)
