"""The fault-injection bench on tiny exports: two kills at random moments, each recovered."""

from __future__ import annotations

import json

import pytest

from bench.fault_injection import main
from simulator.tiny import write_tiny_orders

pytestmark = pytest.mark.e2e


def test_two_random_kills_each_recover_without_losing_rows(tmp_path, capsys):
    """Bug caught: a kill at some moment other than mid-step (while starting, while
    publishing the site or the analyst copy) leaving a slot, a half-written file or
    missing raw rows that the next run does not repair."""
    write_tiny_orders(tmp_path / "exports")
    code = main(
        [
            "--kills",
            "2",
            "--seed",
            "3",
            "--exports",
            str(tmp_path / "exports"),
            "--work",
            str(tmp_path / "work"),
        ]
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    summary = lines[-1]["summary"]
    assert code == 0, lines
    assert summary["trials"] == summary["recovered"] == 2
    assert summary["rows_lost"] == 0
