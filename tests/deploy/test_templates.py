"""The deployment files name the same variables and workspace as the code and the docs.

deploy/compose.yaml is checked by Compose itself (`docker compose config`, or Debian's
`docker-compose config`, which `make test` installs: it needs no Docker engine), and its
shape as YAML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
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


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_accepts_the_file_with_the_example_environment(tmp_path):
    """Bugs caught: a compose file Compose rejects (a bad key, a broken anchor, a variable
    without a value), or services that do not receive the ORDERPULSE_* folders, as a
    scheduler following the file's own instructions would find at `docker compose up`."""
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` (scripts/ensure-compose.sh)")
    deploy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, deploy)
    # the file's own instructions: the env example as .env with a password, a settings file
    example = (DEPLOY / "systemd" / "orderpulse.env.example").read_text()
    env = re.sub(
        r"^DAGSTER_PG_PASSWORD=.*$", "DAGSTER_PG_PASSWORD=secret", example, flags=re.MULTILINE
    )
    (deploy / ".env").write_text(env)
    (deploy / "settings.yaml").touch()
    done = subprocess.run(
        [*command, "-f", "compose.yaml", "config"],
        cwd=deploy,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)["services"]
    assert set(resolved) == {"postgres", "webserver", "daemon"}
    for name in ("webserver", "daemon"):
        environment = resolved[name]["environment"]
        assert environment["DAGSTER_PG_PASSWORD"] == "secret"
        assert environment["ORDERPULSE_EXPORTS_DIR"] == "/exports"
        assert {*PATH_VARS.values(), SETTINGS_VAR} <= set(environment)
