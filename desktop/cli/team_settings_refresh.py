"""Refreshing a team profile's shared settings before a command reads them."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.services.workspace import Workspace


def refresh_team_settings(ws: Workspace) -> None:
    """Pull what changed in the team's settings (team profiles only). A server that cannot
    be reached is said on stderr and the copy cached on this computer is used."""
    from desktop.services import team_settings
    from desktop.services.team import TeamServerError

    if not team_settings.is_team(ws):
        return
    try:
        team_settings.pull(ws)
    except TeamServerError as exc:
        print(f"团队设置未更新，使用本机缓存的副本：{exc.message_zh} / Team settings not refreshed, using"
              f" the copy cached on this computer: {exc.message_en}", file=sys.stderr)
