"""The deployment of deploy/ on this machine: dagster-daemon and dagster-webserver on one
instance and workspace, started as processes and stopped with everything they started.

The deployment test (tests/deploy) and the instance benchmark (bench/instance_backfill.py)
start the real services with this (on bench/local_postgres.py's cluster) and talk to the
webserver's GraphQL, as the UI does.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.local_postgres import free_port

ROOT = Path(__file__).resolve().parents[1]
WORKSPACE = ROOT / "deploy" / "workspace.yaml"
PRODUCTION_INSTANCE = ROOT / "deploy" / "dagster.yaml"
LOCAL_INSTANCE = ROOT / "dagster.yaml"
LOCATION = "orderpulse"
REPOSITORY = "__repository__"  # the repository name of a Definitions object


@dataclass
class DagsterServices:
    """dagster-daemon and dagster-webserver on one instance and workspace."""

    url: str
    processes: list[subprocess.Popen]
    logs: list[Path]

    def graphql(self, query: str, variables: dict | None = None, timeout: float = 60) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.load(response)
        if answer.get("errors"):
            raise RuntimeError(f"GraphQL errors: {answer['errors']}")
        return answer["data"]

    def log_tails(self, lines: int = 40) -> str:
        """The end of each service's output, for an assertion message."""
        parts = []
        for log in self.logs:
            text = log.read_text(errors="replace").splitlines() if log.exists() else []
            parts.append(f"--- {log.name}\n" + "\n".join(text[-lines:]))
        return "\n".join(parts)


def _wait_for_webserver(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dagster-webserver exited with code {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/server_info", timeout=5),
        ):
            return
        time.sleep(0.5)
    raise TimeoutError(f"dagster-webserver did not answer on {url} within {timeout:.0f} s")


LOCATIONS = """
{
  workspaceOrError {
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}"""


def _wait_for_location(services: DagsterServices, timeout: float) -> None:
    """The webserver answers before it has loaded the code location; wait for that too."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = services.graphql(LOCATIONS)["workspaceOrError"]["locationEntries"]
        entry = next((e for e in entries if e["name"] == LOCATION), None)
        if entry and entry["loadStatus"] == "LOADED":
            loaded = entry["locationOrLoadError"] or {}
            if loaded.get("__typename") == "PythonError":
                raise RuntimeError(f"code location {LOCATION} failed to load: {loaded['message']}")
            return
        time.sleep(0.5)
    raise TimeoutError(f"code location {LOCATION} not loaded within {timeout:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    """Stop a service and the code servers and run workers it started (its process group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    # Whatever is left of the group (a code server, a run worker) is killed.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


@contextlib.contextmanager
def dagster_services(
    home: Path, env: dict[str, str], logs: Path, startup_timeout: float = 180
) -> Iterator[DagsterServices]:
    """Start dagster-daemon and dagster-webserver on DAGSTER_HOME `home` (its dagster.yaml
    already written) with `env` added to this process's environment; both are stopped on
    exit, also when the body fails."""
    bin_dir = Path(sys.executable).parent
    full_env = {**os.environ, **env, "DAGSTER_HOME": str(home)}
    logs.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    commands = {
        "daemon": [str(bin_dir / "dagster-daemon"), "run", "-w", str(WORKSPACE)],
        "webserver": [
            str(bin_dir / "dagster-webserver"),
            *("-w", str(WORKSPACE), "-h", "127.0.0.1", "-p", str(port)),
        ],
    }
    services = DagsterServices(url, [], [])
    try:
        for name, command in commands.items():
            log = logs / f"{name}.log"
            services.logs.append(log)
            with log.open("wb") as output:
                services.processes.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=full_env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its own process group, stopped as one
                    )
                )
        _wait_for_webserver(url, services.processes[-1], startup_timeout)
        _wait_for_location(services, startup_timeout)
        yield services
    finally:
        for process in reversed(services.processes):
            _stop(process)


START_SENSOR = """
mutation($selector: SensorSelector!) {
  startSensor(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { status } }
    ... on PythonError { message }
  }
}"""

RUNS = """
query($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    ... on Runs { results { runId status startTime endTime } }
  }
}"""


def start_sensor(services: DagsterServices, name: str) -> str:
    """Turn a sensor on through the webserver, as its toggle in the UI does; its status."""
    selector = {
        "repositoryLocationName": LOCATION,
        "repositoryName": REPOSITORY,
        "sensorName": name,
    }
    answer = services.graphql(START_SENSOR, {"selector": selector})["startSensor"]
    if answer["__typename"] != "Sensor":
        raise RuntimeError(f"startSensor answered {answer}")
    return answer["sensorState"]["status"]


def runs(services: DagsterServices, **run_filter: object) -> list[dict]:
    """The runs the webserver lists (newest first), e.g. runs(services, pipelineName="refresh")."""
    return services.graphql(RUNS, {"filter": run_filter})["runsOrError"]["results"]


FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


def wait_for_runs(
    services: DagsterServices, count: int, timeout: float, **run_filter: object
) -> list[dict]:
    """Wait until at least `count` runs exist and all have finished; the runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listed = runs(services, **run_filter)
        if len(listed) >= count and all(run["status"] in FINISHED for run in listed):
            return listed
        time.sleep(2)
    raise TimeoutError(
        f"{count} finished run(s) not seen within {timeout:.0f} s: {runs(services, **run_filter)}"
    )
