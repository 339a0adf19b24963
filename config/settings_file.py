"""Read a settings YAML file into validated `Settings`, or fail with every problem in it.

A wrong type, a value out of range, an unknown key or a typo'd choice is a SettingsError
naming the file, the key path and what is allowed, so nothing silently falls back to a
default.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from config.settings import Settings
from config.settings_errors import SettingsError, problems
from config.yaml_file import YamlLimitError, read_yaml


class _DatesAsText(yaml.SafeLoader):
    """YAML's safe loader, but an unquoted date stays text: the date check then reports a
    bad one (2011-13-01) with its key path, which YAML's own date parsing cannot."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_settings(path: str | Path | None) -> Settings:
    """Read and validate a settings YAML file; `None` or "" gives the documented defaults.

    Raises:
        SettingsError: the file is missing, not YAML or over the limits of
            config/yaml_file.py (1 MB, 20 levels), or any value is invalid; the message
            lists every invalid key with its value and what is allowed.
    """
    if not path:
        return Settings()
    path = Path(path)
    if not path.is_file():
        raise SettingsError(path, ["the file does not exist; omit --settings to use defaults"])
    try:
        values = read_yaml(path, loader=_DatesAsText)
    except yaml.YAMLError as error:
        raise SettingsError(path, [f"not valid YAML: {error}"]) from None
    except YamlLimitError as error:
        raise SettingsError(path, [str(error)]) from None
    if values is None:
        return Settings()
    if not isinstance(values, dict):
        raise SettingsError(path, [f"expected a mapping of sections, got {type(values).__name__}"])
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        raise SettingsError(path, problems(error, Settings.model_json_schema())) from None
