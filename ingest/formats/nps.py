"""NPS survey answers: one row per answer to "how likely are you to recommend us (0-10)?".

Header: `response_id, submitted_at, score, comment, order_id, customer_email` (the last
two optional; `customer_id` too). Each answer loads as feedback_type `nps` with the score
in `nps_score`. The e-mail is PII: it lands in `reviewer_email` and is hashed in staging.
CSAT answers (1-5 satisfaction) are not NPS scores: map them with a mapping file instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from ingest.formats.base import ExportFormat
from ingest.formats.columns import missing, text
from ingest.source import LINE

ALIASES: dict[str, tuple[str, ...]] = {
    "feedback_id": ("response_id", "response id"),
    "submitted_at": ("submitted_at", "submitted at", "date"),
    "nps_score": ("score", "nps"),
    "body": ("comment", "comments"),
    "order_id": ("order_id", "order"),
    "customer_id": ("customer_id",),
    "reviewer_email": ("customer_email", "email"),
}
SOURCE_REQUIRED = {name: ALIASES[name] for name in ("feedback_id", "submitted_at", "nps_score")}


def missing_columns(kind: str, header: list[str], config: Mapping[str, Any]) -> list[str]:
    return missing(header, SOURCE_REQUIRED)


def to_contract(kind: str, frame: pl.DataFrame, config: Mapping[str, Any]) -> pl.DataFrame:
    return frame.select(
        feedback_type=pl.lit("nps"),
        **{name: text(frame, *names) for name, names in ALIASES.items()},
        **{LINE: pl.col(LINE)},
    )


FORMAT = ExportFormat("nps", ("feedback",), missing_columns, to_contract)
