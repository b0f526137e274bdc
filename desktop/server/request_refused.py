"""A request the team server answers with a WeCom-shaped error right away: `{"errcode",
"errmsg"}` with an HTTP status (200, as WeCom answers, unless said otherwise). Each handler
raises its own subclass; the app answers every one of them the same way."""

from __future__ import annotations


class RequestRefused(Exception):
    def __init__(self, errcode: int, errmsg: str, status: int = 200) -> None:
        super().__init__(errcode, errmsg)
        self.errcode = errcode
        self.errmsg = errmsg
        self.status = status
