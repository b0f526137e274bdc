"""What an API handler receives, how it reads parameters, and how routes are declared.

Parameter errors follow WeCom: a required value that is missing or empty answers 40063, a
value of the wrong JSON type 40058.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.sandbox.config import SandboxConfig
from desktop.sandbox.errors import ApiError


@dataclass(frozen=True)
class CorpIdentity:
    """What never changes for the corp (its secret can be reset: `app_secret`)."""

    corp_id: str
    agent_id: int


@dataclass
class ApiCall:
    conn: sqlite3.Connection
    query: dict[str, str]
    body: dict[str, Any]
    now: float
    corp: CorpIdentity
    config: SandboxConfig

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.body.get(key)
        if value is None or value == "":
            if required:
                raise ApiError(40063, f"{key} is required")
            return ""
        if not isinstance(value, str):
            raise ApiError(40058, f"{key} must be a string")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self.body else None

    def text_list(self, key: str) -> list[str]:
        value = self.body.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ApiError(40058, f"{key} must be a list of strings")
        return value

    def integer(self, key: str, default: int | None = None) -> int | None:
        value = self.body.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.isdigit():
                return int(value)
            raise ApiError(40058, f"{key} must be an integer")
        return value

    def required_integer(self, key: str) -> int:
        value = self.integer(key)
        if value is None:
            raise ApiError(40063, f"{key} is required")
        return value

    def int_list(self, key: str) -> list[int]:
        value = self.body.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            raise ApiError(40058, f"{key} must be a list of integers")
        return value

    def arg(self, key: str, *, required: bool = False) -> str:
        """A query-string parameter (GET APIs)."""
        value = self.query.get(key, "")
        if required and not value:
            raise ApiError(40063, f"{key} is required")
        return value

    def int_arg(self, key: str, default: int) -> int:
        value = self.query.get(key, "")
        if not value:
            return default
        try:
            return int(value)
        except ValueError as exc:
            raise ApiError(40058, f"{key} must be an integer") from exc


Handler = Callable[[ApiCall], dict[str, Any]]


@dataclass(frozen=True)
class Route:
    method: str
    handler: Handler
    needs_token: bool = True
    gated: bool = False
