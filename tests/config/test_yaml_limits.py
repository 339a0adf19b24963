"""Settings YAML is refused over the size, nesting and alias-expansion limits, naming the file."""

from __future__ import annotations

import pytest

from config.settings_errors import SettingsError
from config.settings_file import load_settings
from config.yaml_file import MAX_YAML_BYTES, MAX_YAML_DEPTH, read_yaml

# Ten aliases of ten aliases of ... : six lines that expand to a million values.
BILLION_LAUGHS = "\n".join(
    [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        *(
            f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]"
            for previous, name in zip("abcde", "bcdef", strict=True)
        ),
    ]
)


def test_an_oversized_settings_file_is_refused_before_it_is_read_whole(tmp_path):
    """Bug caught: a settings file of any size was read into memory and parsed."""
    path = tmp_path / "settings.yaml"
    path.write_text("# padding\n" * (MAX_YAML_BYTES // 10 + 1))
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert f"settings file {path}" in str(error.value)
    assert "larger than 1,000,000 bytes" in str(error.value)


def test_deep_nesting_is_refused_with_the_limit_named(tmp_path):
    """Bug caught: 100,000 nested lists crashed the YAML composer with RecursionError."""
    path = tmp_path / "settings.yaml"
    path.write_text("forecasting: {candidate_models: " + "[" * 100_000 + "]" * 100_000 + "}\n")
    with pytest.raises(SettingsError, match=f"more than {MAX_YAML_DEPTH} levels deep"):
        load_settings(path)


def test_an_alias_bomb_is_refused_before_validation(tmp_path):
    """Bug caught: a few lines of nested aliases expanded into a million values for the
    settings validation to walk."""
    path = tmp_path / "settings.yaml"
    path.write_text(BILLION_LAUGHS + "\n")
    with pytest.raises(SettingsError, match="expands to more than 100,000 values"):
        load_settings(path)


def test_files_within_the_limits_read_as_before(tmp_path):
    """Bug caught: the limits refused ordinary YAML (anchors, merge keys, 20 levels)."""
    path = tmp_path / "ok.yaml"
    path.write_text(
        "base: &base {x: 1}\nother:\n  <<: *base\n  y: 2\n"
        "deep: " + "[" * (MAX_YAML_DEPTH - 1) + "1" + "]" * (MAX_YAML_DEPTH - 1) + "\n"
    )
    assert read_yaml(path)["other"] == {"x": 1, "y": 2}
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert read_yaml(empty) is None
