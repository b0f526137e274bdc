"""Waiting for new team journal rows: `GET /tagdesk/v1/journal/wait?after=ID&timeout=S` on
the team server answers as soon as a row newer than ID commits (desktop/server/journal_push.py).

The request is made on a worker and can be cut off at once from another thread (a window
closing, TagDesk quitting): the socket is shut down when the cancel event is set. A server
older than the endpoint answers errcode 40058 (or not as a TagDesk server): `PushUnsupported`,
and the caller polls instead.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from desktop.services.team import TeamServerError, normalized_url

WAIT_S = 25
EXTRA_READ_S = 10      # the answer comes at most WAIT_S after the request, plus the network
CANCEL_CHECK_S = 0.1
UNSUPPORTED = 40058


@dataclass(frozen=True)
class JournalNews:
    latest_id: int      # the newest row in the team journal when the server answered
    newer: bool         # newer than the id asked after


class PushUnsupported(TeamServerError):
    """The team server does not push journal rows (it predates `/journal/wait`)."""


def wait_newer(team_url: str, session_token: str, after: int, cancel: threading.Event,
               timeout_s: float = WAIT_S) -> JournalNews:
    """The newest journal id once a row newer than `after` has committed, or after
    `timeout_s` whatever it is then. Raises TeamServerError when the server cannot be
    reached or refuses; setting `cancel` ends the wait at once with `newer` False."""
    base = urlsplit(normalized_url(team_url))
    connection_type = (http.client.HTTPSConnection if base.scheme == "https"
                       else http.client.HTTPConnection)
    connection = connection_type(base.hostname or "", base.port,
                                 timeout=timeout_s + EXTRA_READ_S)
    path = base.path + "tagdesk/v1/journal/wait?" + urlencode(
        {"access_token": session_token, "after": after, "timeout": timeout_s})
    done = threading.Event()
    watcher = threading.Thread(target=_cut_off_when_cancelled,
                               args=(cancel, done, connection), daemon=True,
                               name="journal wait cancel")
    watcher.start()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        status, body = response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        if cancel.is_set():
            return JournalNews(after, False)
        raise TeamServerError(
            f"团队服务器不可用（{normalized_url(team_url)}）：无法连接（{type(exc).__name__}）。",
            f"The team server is unavailable ({normalized_url(team_url)}): it cannot be"
            f" reached ({type(exc).__name__}).") from None
    finally:
        done.set()          # the watcher ends within CANCEL_CHECK_S; nobody waits for it
        connection.close()
    return _news(team_url, status, body)


def _news(team_url: str, status: int, body: bytes) -> JournalNews:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("errcode"), int):
        if status == 404:
            raise PushUnsupported("团队服务器不推送新日志。", "The team server does not push"
                                  " new journal rows.", None)
        raise TeamServerError(
            f"{normalized_url(team_url)} 不是 TagDesk 团队服务器（HTTP {status}）。",
            f"{normalized_url(team_url)} is not a TagDesk team server (HTTP {status}).")
    errcode = int(data["errcode"])
    if errcode == UNSUPPORTED:
        raise PushUnsupported("团队服务器不推送新日志。", "The team server does not push new"
                              " journal rows.", errcode)
    if errcode != 0:
        raise TeamServerError(f"团队服务器拒绝（errcode {errcode}）：{data.get('errmsg', '')}",
                              f"The team server refused (errcode {errcode}):"
                              f" {data.get('errmsg', '')}", errcode)
    latest = data.get("latest_id")
    return JournalNews(latest if isinstance(latest, int) else 0, bool(data.get("newer")))


def _cut_off_when_cancelled(cancel: threading.Event, done: threading.Event,
                            connection: http.client.HTTPConnection) -> None:
    while not done.is_set():
        if cancel.wait(CANCEL_CHECK_S):
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):   # already closed
                    sock.shutdown(socket.SHUT_RDWR)
            return
