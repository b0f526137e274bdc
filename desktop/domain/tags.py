"""Plain tag and tag-group records shared by the tree, the name checks and the search index.

They carry only what the domain logic needs, so the store, the API client and the tests can build
them cheaply. Frozen so that a tree or an index built from them cannot be changed behind its back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class TagKind(Enum):
    """Where a tag lives in WeCom; decides its tree section and what TagDesk may change."""

    CORP = "corp"
    """企业标签: corp-wide tags (`get_corp_tag_list`)."""
    STRATEGY = "strategy"
    """规则组标签: tags owned by one rule group (`get_strategy_tag_list`)."""
    PERSONAL = "personal"
    """个人标签: a member's own tags, read-only for apps."""


@dataclass(frozen=True, slots=True)
class TagInfo:
    """One tag as TagDesk knows it (WeCom data plus team-wide local preferences)."""

    id: str
    name: str
    group_id: str
    group_name: str
    order: int
    """WeCom `order`: uint32, larger sorts first."""
    kind: TagKind
    abbreviation: str = ""
    """Team-wide short code typed in the search box, e.g. `V3` for 三次复购客户."""
    relation_count: int = 0
    """Follow relationships carrying this tag."""
    app_owned: bool = True
    """False for tags made in the admin console or by another app (WeCom answers 81011 on edits)."""
    strategy_id: int | None = None


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """One tag group (WeCom's first level)."""

    id: str
    name: str
    order: int
    kind: TagKind
    strategy_id: int | None = None
    app_owned: bool = True
