"""Failures of the team server a person can act on (a bad --db, a newer schema, ...)."""

from __future__ import annotations

from desktop.domain.errors import UserError


class ServerError(UserError):
    """The server cannot start or an admin command cannot run; one sentence in zh and en."""
