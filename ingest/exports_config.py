"""exports.yaml: which format each export kind is in, e.g. `orders: {format: online-retail}`.

The file is optional, and so is each kind in it: a kind it does not name has its format
detected from each file's header. `orders: {mapping: my_orders.yaml}` names a YAML column
mapping beside it (ingest/formats/mapping.py); its content joins the kind's section. Both
files are read only from inside the exports folder (links followed), and only within the
size and nesting limits of config/yaml_file.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from config.yaml_file import YamlLimitError, read_yaml
from contract.exports import KINDS
from ingest.discover import CONFIG_FILE, ExportLayoutError, inside_exports
from ingest.formats import FORMATS
from ingest.formats.mapping import check_mapping


class ExportConfigError(ValueError):
    """exports.yaml names an unknown kind, format or key."""


def read_exports_config(
    exports_dir: str | Path, kind: str | None = None
) -> dict[str, dict[str, Any]]:
    """Read and check exports.yaml beside the kind folders.

    Args:
        exports_dir: the exports folder.
        kind: read and check only this kind's section (its format and mapping file), so a
            bad entry fails the load of its own kind, not of every kind; None: every kind.

    Returns:
        {kind: its section, holding at least "format"}; {} without the file.

    Raises:
        ExportConfigError: naming the file, the entry and the fix; also for a file over
            the YAML limits or a mapping file outside the exports folder.
    """
    path = Path(exports_dir) / CONFIG_FILE
    if not path.is_file():
        return {}
    values = _read(
        Path(exports_dir), path, CONFIG_FILE, "write exports.yaml in the exports folder itself"
    )
    values = values or {}
    if not isinstance(values, dict):
        raise ExportConfigError(
            f"{path}: expected `kind: {{format: name}}` entries, e.g. orders: {{format: generic}}"
        )
    unknown_kinds = [name for name in values if name not in KINDS]
    if unknown_kinds:
        raise ExportConfigError(
            f"{path}, entry {unknown_kinds[0]}: unknown export kind; use one of {', '.join(KINDS)}"
        )
    config: dict[str, dict[str, Any]] = {}
    for entry, section in values.items():
        if kind is not None and entry != kind:
            continue
        config[entry] = _checked_section(
            Path(exports_dir), entry, section, f"{path}, entry {entry}"
        )
    return config


def _checked_section(exports_dir: Path, kind: str, section: Any, where: str) -> dict[str, Any]:
    """One kind's section of exports.yaml, its format and keys checked."""
    if isinstance(section, dict) and "mapping" in section and "format" not in section:
        section = _with_mapping(exports_dir, kind, section, where)
    if not isinstance(section, dict) or "format" not in section:
        raise ExportConfigError(
            f"{where}: write it as `{kind}: {{format: <name>}}`; formats: {', '.join(FORMATS)}"
        )
    name = section["format"]
    export_format = FORMATS.get(name)
    if export_format is None or kind not in export_format.kinds:
        fitting = [f.name for f in FORMATS.values() if kind in f.kinds]
        raise ExportConfigError(
            f"{where}: format {name!r} does not read {kind}; use one of {', '.join(fitting)}"
        )
    unknown = sorted(set(section) - {"format", *export_format.config_keys})
    if unknown:
        raise ExportConfigError(
            f"{where}: unknown key(s) {', '.join(map(str, unknown))} for format {name}"
        )
    return section


def _with_mapping(
    exports_dir: Path, kind: str, section: dict[str, Any], where: str
) -> dict[str, Any]:
    """The section of `kind: {mapping: FILE}` with the checked mapping file's content."""
    name = str(section["mapping"])
    path = exports_dir / name
    if not path.is_file():
        raise ExportConfigError(
            f"{where}: mapping file {path} does not exist; put it in the exports folder"
        )
    content = _read(
        exports_dir,
        path,
        f"{where}: mapping file {name}",
        f"move it into the exports folder and name it from there, "
        f"e.g. {kind}: {{mapping: {Path(name).name}}}",
    )
    try:
        spec = check_mapping(kind, content, str(path))
    except ValueError as error:
        raise ExportConfigError(str(error)) from None
    return {**section, "format": "mapping", **spec}


def _read(exports_dir: Path, path: Path, what: str, fix: str) -> Any:
    """A YAML file of the exports folder: inside it (links followed) and within the limits
    of config/yaml_file.py (1 MB, 20 levels)."""
    try:
        inside_exports(exports_dir, path, what, fix)
        return read_yaml(path)
    except yaml.YAMLError as error:
        raise ExportConfigError(f"{path} is not valid YAML: {error}") from None
    except (ExportLayoutError, YamlLimitError) as error:
        raise ExportConfigError(str(error)) from None
