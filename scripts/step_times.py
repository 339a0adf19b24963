"""Print the wall time of each step of the latest run in a data directory's Dagster home.

.venv/bin/python scripts/step_times.py [DATA_DIR]
"""

import os
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
data_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "data").resolve()
os.environ["DAGSTER_HOME"] = str(data_dir / "dagster_home")

import dagster as dg
from dagster import DagsterEventType as T

instance = dg.DagsterInstance.get()
run = instance.get_runs(limit=1)[0]
started: dict[str, float] = {}
rows = []
for record in instance.all_logs(run.run_id, of_type={T.STEP_START, T.STEP_SUCCESS, T.STEP_FAILURE}):
    key = record.dagster_event.step_key
    if record.dagster_event.event_type == T.STEP_START:
        started[key] = record.timestamp
    else:
        rows.append((record.timestamp - started[key], key.replace("__", ".")))
total = sum(seconds for seconds, _ in rows)
print(f"run {run.run_id} ({run.status.value}): steps {total:.1f} s")
for seconds, key in sorted(rows, reverse=True):
    print(f"  {seconds:7.1f} s  {100 * seconds / total:5.1f} %  {key}")
