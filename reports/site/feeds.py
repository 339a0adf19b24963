"""The note a page shows for each feed it needs that the shop never sent.

The wording comes from contract/feeds.py (one place for what each feed unlocks), so the
pages, the data-quality page and the console say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from contract.feeds import missing_feed_line, missing_feeds
from reports.site.format import esc


def missing_feed_notes(con: duckdb.DuckDBPyConnection, kinds: Sequence[str]) -> str:
    """One note per feed of `kinds` never provided ("" when the shop sends them all).

    Args:
        con: open connection to the warehouse (reads quality.load_log).
        kinds: the export kinds the page is built from.

    Returns:
        HTML: a `missing-feed` note per missing feed, naming it and what it would unlock.
    """
    return "".join(
        f'<div class="empty missing-feed" data-feed="{kind}">{esc(missing_feed_line(kind))}</div>'
        for kind in missing_feeds(con, tuple(kinds))
    )
