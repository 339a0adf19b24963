"""`orderpulse serve`: the site folder over HTTP on 127.0.0.1, following a swapped-in site."""

import threading
import urllib.request
from pathlib import Path

from pipelines.cli import main
from pipelines.serve import site_server


def test_serves_the_site_on_localhost_and_follows_a_new_run(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("first run")
    server = site_server(site, 0)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        host, port = server.server_address
        assert host == "127.0.0.1"
        url = f"http://127.0.0.1:{port}/index.html"
        assert urllib.request.urlopen(url).read() == b"first run"
        site.rename(tmp_path / "site.previous")  # what publish_site does with a new run
        site.mkdir()
        (site / "index.html").write_text("second run")
        assert urllib.request.urlopen(url).read() == b"second run"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_serve_without_a_site_names_the_folder_and_the_fix(tmp_path: Path, capsys) -> None:
    assert main(["serve", "--site", str(tmp_path / "nothing")]) == 2
    assert "index.html missing" in capsys.readouterr().err
