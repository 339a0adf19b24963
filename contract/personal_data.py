"""What customer personal data looks like in free text: e-mail addresses and phone numbers.

The contract names the columns that hold personal data (`contract.exports.pii_columns`);
these patterns find it where no column says so: in a quarantined line that could not be
split into columns (ingest/quarantine_privacy.py masks it) and in everything a run
writes (scripts/privacy_scan.py looks for it).

A phone is digit groups split by spaces, dots or dashes, the later ones 3-4 digits long
("+44 20 7946 0958", "020-7946-0958", "(020) 7946 0958"), or + and 8-14 digits. Never
inside a longer token: the all-digit groups of a uuid ("...-1234-5678-9012-...") or a
hex hash are not a phone, and dates (2011-12-09) and amounts do not match.
"""

from __future__ import annotations

import re

EMAIL_PATTERN = r"[\w.+-]+@[\w-]+\.[\w.-]*\w"
PHONE_PATTERN = (
    r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)|\d{2,4})[ .-]\d{3,4}[ .-]\d{3,4}"  # grouped
    r"|\+\d{8,14}"  # international, written without separators
)
# Characters that make a digit group part of a longer token rather than a phone.
_BEFORE, _AFTER = r"\w+-", r"\w-"

EMAIL = re.compile(EMAIL_PATTERN)
PHONE = re.compile(rf"(?<![{_BEFORE}])(?:{PHONE_PATTERN})(?![{_AFTER}])")
# The same tests for DuckDB's regexp_matches (RE2 has no look-around: the neighbouring
# character is matched instead, which is the same test for "is there one").
EMAIL_SQL = EMAIL_PATTERN
PHONE_SQL = rf"(?:^|[^{_BEFORE}])(?:{PHONE_PATTERN})(?:$|[^{_AFTER}])"


def mask_contact_details(text: str) -> str:
    """`text` with every e-mail address and phone number in it masked."""
    return PHONE.sub("<phone masked>", EMAIL.sub("<email masked>", text))
