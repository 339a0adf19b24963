"""Compare two warehouses table by table, bit for bit (warehouse/compare.py says how).

    .venv/bin/python scripts/compare_warehouses.py A.duckdb B.duckdb

Exits 1 when a table differs, 0 when all are equal.
"""

import sys

from warehouse.compare import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
