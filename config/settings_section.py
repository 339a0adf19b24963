"""The base of every settings section (config/settings.py, config/settings_service.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A settings section: immutable, and a key it does not know is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @classmethod
    def over_default(cls, name: str, value: Any) -> Any:
        """A map field's value laid over its default, so a file names only what it changes."""
        if isinstance(value, dict):
            return {**cls.model_fields[name].get_default(call_default_factory=True), **value}
        return value
