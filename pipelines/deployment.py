"""Where a deployed code location finds its folders and settings: environment variables.

dagster-webserver, dagster-daemon and the runs they launch load `pipelines.definitions`
without a command line of their own, so a deployment names its folders and its settings
file in the environment (docs/operations.md lists the variables). A variable that is set
and not empty becomes a `dg.EnvVar` in the resource's config: the UI's resource page shows
the value as coming from that variable, and every run reads it again when it starts. A
variable that is unset or empty keeps the default the CLI and `make ui` use (RunPaths,
SettingsResource): a `dg.EnvVar` of an unset variable would fail every run at resource
initialization instead.
"""

from __future__ import annotations

import os

import dagster as dg

from config.resources import RunPaths, SettingsResource

DATA_DIR_VAR = "ORDERPULSE_DATA_DIR"
EXPORTS_DIR_VAR = "ORDERPULSE_EXPORTS_DIR"
SITE_DIR_VAR = "ORDERPULSE_SITE_DIR"
SETTINGS_VAR = "ORDERPULSE_SETTINGS"

# RunPaths field -> the variable that sets it.
PATH_VARS = {"data_dir": DATA_DIR_VAR, "exports_dir": EXPORTS_DIR_VAR, "site_dir": SITE_DIR_VAR}


def _set_vars(fields: dict[str, str]) -> dict[str, dg.EnvVar]:
    return {field: dg.EnvVar(var) for field, var in fields.items() if os.environ.get(var)}


def deployment_resources() -> tuple[RunPaths, SettingsResource]:
    """The paths and settings resources of this process's environment.

    Fields whose variable is unset or empty keep their defaults: `./data` (relative to the
    working directory), exports and site under it, the documented default settings.
    """
    paths = RunPaths(**_set_vars(PATH_VARS))
    settings = SettingsResource(**_set_vars({"settings_file": SETTINGS_VAR}))
    return paths, settings
