"""Read a YAML file someone else may have written, within size and nesting limits.

The settings file, exports.yaml and the mapping files are small hand-written YAML. A file
far larger or deeper than any real one is a mistake or an attack: a 1 GB file would be
read into memory, deep nesting exhausts Python's recursion, and a few lines of anchors
and aliases ("billion laughs") expand into billions of values once validated. Such a
file is refused before anything is built from it, with an error naming the file and the
limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_YAML_BYTES = 1_000_000
MAX_YAML_DEPTH = 20  # nested mappings and lists, aliases followed
MAX_YAML_VALUES = 100_000  # scalars, mappings and lists, every alias counted again


class YamlLimitError(ValueError):
    """A YAML file over the size or nesting limit."""


def read_yaml(path: Path, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The content of a YAML file, once it is known to be within the limits.

    Args:
        path: the file.
        loader: a safe loader class (never one that builds arbitrary Python objects).

    Returns:
        The parsed document (None for an empty file).

    Raises:
        YamlLimitError: the file is over MAX_YAML_BYTES, nests deeper than MAX_YAML_DEPTH
            or expands to more than MAX_YAML_VALUES values.
        yaml.YAMLError: the file is not valid YAML.
    """
    with open(path, "rb") as handle:
        data = handle.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        raise YamlLimitError(
            f"{path} is larger than {MAX_YAML_BYTES:,} bytes, far beyond any settings or "
            f"mapping file; check that it is the right file"
        )
    _check_structural_depth(path, data, loader)
    parser = loader(data)
    try:
        node = parser.get_single_node()
        if node is None:
            return None
        _check_expanded_size(path, node)
        return parser.construct_document(node)
    finally:
        parser.dispose()


def _too_deep(path: Path) -> YamlLimitError:
    return YamlLimitError(
        f"{path} nests mappings and lists more than {MAX_YAML_DEPTH} levels deep; "
        f"settings and mapping files need a few levels only"
    )


def _check_structural_depth(path: Path, data: bytes, loader: type[yaml.SafeLoader]) -> None:
    """Refuse deep nesting from the event stream, before the recursive composer runs."""
    depth = 0
    for event in yaml.parse(data, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _too_deep(path)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expanded_size(path: Path, root: yaml.Node) -> None:
    """Refuse a document whose aliases expand it too deep or to too many values.

    An alias is the same node object as its anchor, so each node's size and height are
    remembered: the walk visits a node once however often it is referred to.
    """
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, collection levels)
    endless = (MAX_YAML_VALUES + 1, MAX_YAML_DEPTH + 1)

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        """(values, levels) of `node`, which has `depth` collections above it."""
        if id(node) not in measured:
            measured[id(node)] = endless  # a node that contains itself never ends
            children = (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode)
                else list(node.value)
                if isinstance(node, yaml.SequenceNode)
                else []
            )
            parts = [measure(child, depth + 1) for child in children]
            values = 1 + sum(values for values, _ in parts)
            below = max((levels for _, levels in parts), default=0)
            levels = 1 + below if isinstance(node, yaml.CollectionNode) else 0
            measured[id(node)] = (values, levels)
        values, levels = measured[id(node)]
        if depth + levels > MAX_YAML_DEPTH:
            raise _too_deep(path)
        if values > MAX_YAML_VALUES:
            raise YamlLimitError(
                f"{path} expands to more than {MAX_YAML_VALUES:,} values (its aliases repeat "
                f"anchored parts); write the values out instead of nesting aliases"
            )
        return values, levels

    measure(root, 0)
