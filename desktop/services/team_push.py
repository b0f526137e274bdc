"""Waiting for new team journal rows: `GET /tagdesk/v1/journal/wait?after=ID&timeout=S` on
the team server answers as soon as a row newer than ID commits (desktop/server/journal_push.py).

The request is made on a worker and can be cut off at once from another thread (a window
closing, TagDesk quitting): the socket is shut down when the cancel event is set. A server
older than the endpoint answers errcode 40058 (or not as a TagDesk server): `PushUnsupported`,
and the caller polls instead.

Everything on a desktop that follows the journal (the audit viewer, File → 审批) shares one
wait (`JournalFollower`): its thread keeps one request open while anyone follows and raises
each follower's flag for every newer row, so each sees every push, as with a wait of its own.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from desktop.services.team import TeamServerError, normalized_url

log = logging.getLogger(__name__)

WAIT_S = 25
RETRY_PUSH_S = 30      # a server that cannot be reached is asked to push again after this
EXTRA_READ_S = 10      # the answer comes at most WAIT_S after the request, plus the network
CANCEL_CHECK_S = 0.1
UNSUPPORTED = 40058


@dataclass(frozen=True)
class JournalNews:
    latest_id: int      # the newest row in the team journal when the server answered
    newer: bool         # newer than the id asked after
    latest_governance_id: int | None = None   # the newest approvals or policy row (None: an
                                              # older server, which does not say)


class PushUnsupported(TeamServerError):
    """The team server does not push journal rows (it predates `/journal/wait`)."""


@dataclass(eq=False)
class Following:
    """One follower of the journal's push: `news` is raised for every newer row (the follower
    clears it as it takes it), `governance` for a newer approvals or policy row (for every
    newer row when the server does not tell them apart), `failing` while the push cannot be
    had (the server cannot be reached: the follower polls meanwhile) or for good
    (`unsupported`)."""

    news: threading.Event = field(default_factory=threading.Event)
    governance: threading.Event = field(default_factory=threading.Event)
    failing: threading.Event = field(default_factory=threading.Event)
    unsupported: bool = False
    latest: int = 0          # the newest journal id the server has told of (0: none yet)


class JournalFollower:
    """One wait on the team journal's push for every `Following` of it: a thread waits while
    anyone follows (ended at once when the last one leaves) and tells each of them what the
    server answered. A server that cannot be reached is asked again after RETRY_PUSH_S; one
    without the push, never again."""

    def __init__(self, wait: Callable[[int, threading.Event], JournalNews]) -> None:
        self._wait = wait
        self._lock = threading.Lock()
        self._following: set[Following] = set()
        self._stop: threading.Event | None = None     # the running thread's
        self._latest = 0
        self._latest_governance: int | None = None    # None: not told yet
        self._unsupported = False

    def follow(self) -> Following:
        """A new follower, told from now on (of the newest id known at once)."""
        following = Following(latest=self._latest)
        with self._lock:
            self._following.add(following)
            if self._unsupported:
                following.unsupported = True
                following.failing.set()
            elif self._stop is None:
                self._stop = threading.Event()
                threading.Thread(target=self._run, args=(self._stop,), daemon=True,
                                 name="team journal push").start()
        return following

    def leave(self, following: Following) -> None:
        """`following` is told no more; the wait ends with the last follower."""
        with self._lock:
            self._following.discard(following)
            if not self._following and self._stop is not None:
                self._stop.set()
                self._stop = None

    def _run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                news = self._wait(self._latest, stop)
            except PushUnsupported:
                self._tell(unsupported=True)
                return
            except Exception as exc:    # the server is away or the login is refused: poll
                log.debug("team journal push: %s", exc)
                self._tell(failing=True)
                stop.wait(RETRY_PUSH_S)
                continue
            if stop.is_set():
                return
            self._tell(failing=False, news=news)

    def _tell(self, *, failing: bool = True, unsupported: bool = False,
              news: JournalNews | None = None) -> None:
        governance = False
        with self._lock:
            self._unsupported = self._unsupported or unsupported
            if news is not None:
                self._latest = max(self._latest, news.latest_id)
                told, known = news.latest_governance_id, self._latest_governance
                governance = news.newer and (told is None or known is None or told > known)
                if told is not None:
                    self._latest_governance = max(told, known or 0)
            if unsupported:
                self._stop = None
            following = list(self._following)
        for each in following:
            each.unsupported = each.unsupported or unsupported
            each.latest = self._latest
            (each.failing.set if failing else each.failing.clear)()
            if news is not None and news.newer:
                each.news.set()
            if governance:
                each.governance.set()


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
    latest, governance = data.get("latest_id"), data.get("latest_governance_id")
    return JournalNews(latest if isinstance(latest, int) else 0, bool(data.get("newer")),
                       governance if isinstance(governance, int) else None)


def _cut_off_when_cancelled(cancel: threading.Event, done: threading.Event,
                            connection: http.client.HTTPConnection) -> None:
    """Shut the wait's socket down once `cancel` is set; one still being opened then is
    looked for again, so a cancel just before the request is not missed."""
    while not done.is_set():
        if cancel.wait(CANCEL_CHECK_S):
            sock = connection.sock
            if sock is not None:
                with contextlib.suppress(OSError):   # already closed
                    sock.shutdown(socket.SHUT_RDWR)
                return
            done.wait(CANCEL_CHECK_S)
