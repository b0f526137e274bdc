"""Helpers for the sandbox's own integration tests: a bare WeCom HTTP client and a starter.

The client is deliberately thin (no retries, no token refresh) so that each test sees
exactly what the sandbox answered. Bodies go out as UTF-8 JSON with Chinese unescaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from desktop.sandbox import SandboxConfig, SandboxServer

SMALL_CORP = {"customers": 300, "members": 8, "seed": 7}


@contextmanager
def running_sandbox(data_dir: Path, **overrides: Any) -> Iterator[SandboxServer]:
    """A started sandbox (a small corp unless overridden), stopped afterwards."""
    settings = {**SMALL_CORP, **overrides}
    with SandboxServer(SandboxConfig(data_dir=data_dir, **settings)) as server:
        yield server


class WeComHttp:
    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.base = server.api_base
        self.session = requests.Session()
        self.token = ""

    def __enter__(self) -> WeComHttp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def gettoken(self, corpid: str | None = None, secret: str | None = None) -> dict[str, Any]:
        params = {
            "corpid": self.server.corp_id if corpid is None else corpid,
            "corpsecret": self.server.secret if secret is None else secret,
        }
        answer: dict[str, Any] = self.session.get(self.base + "gettoken", params=params).json()
        if answer["errcode"] == 0:
            self.token = answer["access_token"]
        return answer

    def login(self) -> WeComHttp:
        assert self.gettoken()["errcode"] == 0
        return self

    def post(self, api: str, body: dict[str, Any], *, token: str | None = None) -> dict[str, Any]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        answer: dict[str, Any] = self.post_raw(api, data, token=token).json()
        return answer

    def post_raw(self, api: str, data: bytes, *, token: str | None = None) -> requests.Response:
        params = {"access_token": self.token if token is None else token}
        return self.session.post(self.base + api, params=params, data=data)

    def get(self, api: str, *, token: str | None = None, **params: Any) -> dict[str, Any]:
        query = {"access_token": self.token if token is None else token, **params}
        answer: dict[str, Any] = self.session.get(self.base + api, params=query).json()
        return answer

    def ok(self, api: str, body: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
        """POST `body` (or GET with `params` when body is None) and insist on errcode 0."""
        answer = self.get(api, **params) if body is None else self.post(api, body)
        assert answer["errcode"] == 0, answer
        return answer

    def all_relations(self, userids: list[str], limit: int = 100) -> list[dict[str, Any]]:
        """Page batch/get_by_user to the end (empty next_cursor)."""
        items: list[dict[str, Any]] = []
        cursor = ""
        while True:
            page = self.ok(
                "externalcontact/batch/get_by_user",
                {"userid_list": userids, "cursor": cursor, "limit": limit},
            )
            items.extend(page["external_contact_list"])
            cursor = page["next_cursor"]
            if not cursor:
                return items
