"""The bench's text stage at a tiny size: it runs every phase and records its figures."""

import json

from bench.command import TEXT_RESULTS_FILE, main


def test_the_text_stage_times_every_phase_and_records_them(tmp_path, capsys):
    """Catches a text stage that is wired into `make bench` but measures nothing."""
    assert main(["--stages", "text", "--text-sizes", "1500", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1,500 texts: total" in out and "sentiment fit" in out and "theme assign" in out
    record = json.loads((tmp_path / "bench" / TEXT_RESULTS_FILE).read_text().splitlines()[-1])
    (result,) = record["results"]
    assert result["texts"] == 1500 and result["peak_mb"] > 0
    assert set(result["phases"]) == {
        "corpus", "sentiment fit", "sentiment score", "theme fit", "theme assign", "where and alerts"
    }  # fmt: skip
