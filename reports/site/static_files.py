"""The site's stylesheet and scripts, kept as real files in `reports/site/static/`.

They are read when a site is published and inlined into every page, so a page stays one
self-contained file that opens from disk with no network. A file is inlined exactly as it
is: a comment in it ships on every page.
"""

from __future__ import annotations

import functools
from pathlib import Path

STATIC = Path(__file__).with_name("static")


@functools.cache
def static_text(name: str) -> str:
    """The text of one file in `reports/site/static/`, e.g. 'site.css'."""
    return (STATIC / name).read_text(encoding="utf-8")
