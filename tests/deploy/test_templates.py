"""The deployment files name the same variables and workspace as the code and the docs.

`docker compose config` cannot check deploy/compose.yaml here (the machine's docker client
has no compose plugin), so its shape is checked as YAML.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pipelines.deployment import PATH_VARS, SETTINGS_VAR

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DOC = DEPLOY.parent / "docs" / "operations.md"


def _instance_vars() -> set[str]:
    return set(re.findall(r"env: (\w+)", (DEPLOY / "dagster.yaml").read_text()))


def test_every_variable_is_in_the_env_example_and_the_docs():
    """Bug caught: a variable added to dagster.yaml or the code location but missing from
    the environment file a scheduler copies (the service then fails to start or silently
    uses ./data)."""
    example = (DEPLOY / "systemd" / "orderpulse.env.example").read_text()
    named = set(re.findall(r"^(\w+)=", example, re.MULTILINE))
    wanted = _instance_vars() | set(PATH_VARS.values()) | {SETTINGS_VAR, "DAGSTER_HOME"}
    assert wanted <= named, wanted - named
    doc = DOC.read_text()
    assert all(f"`{var}`" in doc for var in wanted), [v for v in wanted if f"`{v}`" not in doc]


def test_services_load_the_one_workspace():
    """Bug caught: the webserver and the daemon loading different code locations (the
    daemon then runs schedules and sensors the UI does not show)."""
    workspace = yaml.safe_load((DEPLOY / "workspace.yaml").read_text())
    assert workspace["load_from"] == [
        {"python_module": {"module_name": "pipelines.definitions", "location_name": "orderpulse"}}
    ]
    for unit in ("orderpulse-webserver.service", "orderpulse-daemon.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        assert "-w /opt/orderpulse/deploy/workspace.yaml" in text
        assert "EnvironmentFile=/etc/orderpulse/orderpulse.env" in text
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert set(compose["services"]) == {"postgres", "webserver", "daemon"}
    for name in ("webserver", "daemon"):
        command = compose["services"][name]["command"]
        assert command[command.index("-w") + 1] == "deploy/workspace.yaml"
        environment = compose["services"][name]["environment"]
        assert set(PATH_VARS.values()) | {SETTINGS_VAR} <= set(environment)
