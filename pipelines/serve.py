"""`orderpulse serve`: the published dashboards over HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path


def site_server(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the site folder on 127.0.0.1 (port 0: any free port).

    The handler resolves every request against the folder's path, not an open handle, so
    a run that swaps in a new site is served from the next request on.
    """
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(site: Path, port: int) -> int:
    if not (site / "index.html").is_file():
        print(
            f"error: no dashboards in {site} (index.html missing); run `orderpulse demo` or "
            "`orderpulse run` first, or pass --site",
            file=sys.stderr,
        )
        return 2
    with site_server(site, port) as server:
        print(f"Serving {site} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped")
    return 0
