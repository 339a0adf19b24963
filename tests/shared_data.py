"""Where the real public data sets live: `../shared/data` beside the repository checkout.

One place for the path, so a test moved to another folder still finds the data.
"""

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
