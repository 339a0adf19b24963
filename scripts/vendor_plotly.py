"""Refresh reports/site/vendor/plotly-basic.min.js from the npm registry (a maintainer's step).

Run after upgrading plotly: it fetches `plotly.js-basic-dist-min` at the plotly.js version
the installed plotly package bundles (`npm pack` checks the registry's integrity hash) and
copies the bundle and its licence into reports/site/vendor/. Needs node's npm; the pipeline and
the tests never call it.

    .venv/bin/python scripts/vendor_plotly.py
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs_version

from reports.site.plotly_bundle import BUNDLE, NPM_PACKAGE, bundle_version


def main() -> None:
    version = get_plotlyjs_version()
    with tempfile.TemporaryDirectory() as scratch:
        packed = subprocess.run(
            ["npm", "pack", f"{NPM_PACKAGE}@{version}", "--pack-destination", scratch],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
        with tarfile.open(Path(scratch) / packed) as archive:
            archive.extractall(scratch, filter="data")
        package = Path(scratch) / "package"
        shutil.copyfile(package / BUNDLE.name, BUNDLE)
        shutil.copyfile(package / "LICENSE", BUNDLE.with_name("plotly.js-LICENSE"))
    print(f"{BUNDLE}: plotly.js {bundle_version()} ({BUNDLE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
