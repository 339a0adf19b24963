"""Missing real data skips on a developer's checkout and fails under CI, naming the file.

Each case runs pytest in a subprocess on a one-line test that asks `tests.real_data` for the
Clothing Reviews under a data root that does not exist, with the environment under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REVIEWS = "clothing_reviews/womens_clothing_reviews.csv"
TINY_TEST = f"""
from tests.real_data import shared_data


def test_reads_the_reviews():
    assert shared_data("{REVIEWS}").exists()
"""


def run_tiny_test(tmp_path: Path, data_root: Path, **env: str) -> subprocess.CompletedProcess:
    """pytest on the one-line test, with only the given CI variables set."""
    test_file = tmp_path / "test_tiny_real_data.py"
    test_file.write_text(TINY_TEST)
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "ORDERPULSE_REQUIRE_REAL_DATA")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(test_file)],
        cwd=ROOT,
        env={**clean, "ORDERPULSE_SHARED_DATA": str(data_root), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("ci", ["true", "1"])
def test_missing_data_fails_under_ci_naming_the_file(tmp_path, ci):
    """Bug caught: CI skipping the real-data tests when ../shared/data is missing, so a CI
    machine without the data reports green while every published-value check was skipped."""
    missing_root = tmp_path / "no-such-data"
    result = run_tiny_test(tmp_path, missing_root, CI=ci)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed" in output
    assert str(missing_root / REVIEWS) in output
    assert "womens-ecommerce-clothing-reviews" in output  # where to get it
    assert "CI is set" in output


@pytest.mark.parametrize("ci", [None, "false", "0"])
def test_missing_data_skips_without_ci(tmp_path, ci):
    """Bug caught: a developer's checkout without ../shared failing (instead of skipping)
    because an unset, "false" or "0" CI variable was read as set."""
    env = {} if ci is None else {"CI": ci}
    result = run_tiny_test(tmp_path, tmp_path / "no-such-data", **env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 skipped" in output
    assert "real data missing" in output


def test_require_variable_still_requires_the_data(tmp_path):
    """Bug caught: ORDERPULSE_REQUIRE_REAL_DATA no longer making missing data fail."""
    result = run_tiny_test(tmp_path, tmp_path / "none", ORDERPULSE_REQUIRE_REAL_DATA="1")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "ORDERPULSE_REQUIRE_REAL_DATA is set" in output


def test_present_data_is_read_under_ci(tmp_path):
    """Bug caught: the data root override ignored, or CI failing although the file is there."""
    data_root = tmp_path / "data"
    (data_root / REVIEWS).parent.mkdir(parents=True)
    (data_root / REVIEWS).write_text("Rating,Review Text\n5,fine\n")
    result = run_tiny_test(tmp_path, data_root, CI="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
